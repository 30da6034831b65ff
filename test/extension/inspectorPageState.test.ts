import assert from "node:assert/strict";
import { test } from "node:test";
import type { InspectorState, RunView } from "../../src/extension/inspector/inspectorModel";
import {
  applyMessage,
  EMPTY_UI,
  isOpen,
  isSavedPage,
  withDisclosure,
  type PageState,
} from "../../src/extension/webview/inspectorPageState";

const state = (functionName: string, runs: Partial<RunView>[] = []) =>
  ({ functionName, folderUri: "file:///w", runs }) as InspectorState;
const page = (current: InspectorState, busy: boolean): PageState => ({ current, busy, status: "", ui: EMPTY_UI });

test("state posted while planning (a watcher firing) keeps the working indicator and its status", () => {
  let next = applyMessage(page(state("a"), false), { type: "busy", busy: true, label: "Planning" });
  assert.equal(next.status, "Planning…");
  next = applyMessage(next, { type: "state", state: state("b", [{ id: 1, ok: true }]) });
  assert.equal(next.busy, true);
  assert.equal(next.status, "Planning…");
  assert.equal(next.current?.functionName, "b");
});

test("only the busy message that ends the action clears it, keeping the shown state", () => {
  const next = applyMessage(page(state("b"), true), { type: "busy", busy: false });
  assert.deepEqual(next, { current: state("b"), busy: false, status: "Done.", ui: EMPTY_UI });
});

test("a new run is announced once; the same state again announces nothing new", () => {
  const first = applyMessage(page(state("f"), false), { type: "state", state: state("f", [{ id: 3, ok: false }]) });
  assert.equal(first.status, "Run 3 failed.");
  const quiet = applyMessage({ ...first, status: "" }, { type: "state", state: state("f", [{ id: 3, ok: false }]) });
  assert.equal(quiet.status, "");
});

test("disclosures remember the reader's choice over their default", () => {
  let ui = EMPTY_UI;
  assert.equal(isOpen(ui, "run-1-output", true), true);
  ui = withDisclosure(ui, "run-1-output", false);
  ui = withDisclosure(ui, "run-1-input", true);
  assert.equal(isOpen(ui, "run-1-output", true), false);
  assert.equal(isOpen(ui, "run-1-input"), true);
  ui = withDisclosure(ui, "run-1-output", true);
  assert.deepEqual(ui, { opened: ["run-1-input", "run-1-output"], closed: [] });
});

test("a saved page is recognised only with the state and the UI a restored panel needs", () => {
  assert.ok(isSavedPage({ current: state("f"), ui: EMPTY_UI }));
  assert.ok(!isSavedPage({ current: state("f") }));
  assert.ok(!isSavedPage({ current: { functionName: "f" }, ui: EMPTY_UI }));
  assert.ok(!isSavedPage(undefined));
});
