import assert from "node:assert/strict";
import { test } from "node:test";
import type { InspectorState } from "../../src/extension/inspector/inspectorModel";
import { applyMessage } from "../../src/extension/webview/inspectorPageState";

const state = (functionName: string) => ({ functionName }) as InspectorState;

test("state posted while planning (a watcher firing) keeps the working indicator", () => {
  let page = applyMessage({ current: state("a"), busy: false }, { type: "busy", busy: true, label: "Planning" });
  page = applyMessage(page, { type: "state", state: state("b") });
  assert.equal(page.busy, true);
  assert.equal(page.current?.functionName, "b");
});

test("only the busy message that ends the action clears it, keeping the shown state", () => {
  const page = applyMessage({ current: state("b"), busy: true }, { type: "busy", busy: false });
  assert.deepEqual(page, { current: state("b"), busy: false });
});
