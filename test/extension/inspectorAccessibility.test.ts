import assert from "node:assert/strict";
import { test } from "node:test";
import { comparisonView } from "../../src/extension/inspector/inspectorCompare";
import { inspectorHtml } from "../../src/extension/inspector/inspectorHtml";
import { inspectorState, type InspectorState } from "../../src/extension/inspector/inspectorModel";
import { RunHistory } from "../../src/extension/runHistory";
import { compareSection } from "../../src/extension/webview/compareView";
import type { Child } from "../../src/extension/webview/dom";
import { EMPTY_UI } from "../../src/extension/webview/inspectorPageState";
import { header, historySection, runsSection, workflowSection } from "../../src/extension/webview/inspectorSections";
import { asFake, FakeElement, installFakeDocument } from "./fakeDom";
import { stored } from "./fixtures";

installFakeDocument();

const LIVE_ROLES = ["status", "alert", "log", "marquee", "timer"];
const LIST_ROLES = ["list", "listitem", "listbox", "option"];

/** A state with every part filled: runs with steps, planning records, a comparison and a selected node. */
function fullState(): InspectorState {
  const history = new RunHistory();
  history.add({
    functionName: "summarize",
    startedAt: "2025-03-04T11:00:00.000Z",
    durationMs: 42,
    input: { city: "Delft" },
    ok: true,
    output: { summary: "Delft: sunny", tempC: 12 },
    workflowId: "wf1",
    reused: true,
    trace: {
      durationMs: 40,
      steps: [{ step: 1, tool: "geocode", input: { name: "Delft" }, output: { lat: 52, lon: 4.3 }, durationMs: 5 }],
    },
  });
  const workflows = [
    stored("/w/.llm-function/workflows/abc_wf1_20250304T102233000Z.json"),
    stored("/w/.llm-function/workflows/abc_wf0_20250301T000000000Z.json", {
      id: "wf0",
      steps: [{ id: 1, tool: "output_model", args: { summary: { ref: "0.output.city" } } }],
    }),
  ];
  const state = inspectorState({
    folderUri: "file:///w",
    folderName: "w",
    functionName: "summarize",
    description: "Summarize",
    workflows,
    state: { status: "unverified", reason: "forecast (weather.llm.ts): lib/units.ts modified" },
    runs: history.forFunction("summarize"),
  });
  const comparison = comparisonView(workflows, workflows[0]?.file, workflows[1]?.file);
  assert.ok(comparison, "the fixture compares two different workflows");
  return { ...state, comparison };
}

/** Every element the page's sections build for `state`, under one root as the page has them. */
function renderedPage(state: InspectorState): FakeElement {
  const ui = { ...EMPTY_UI, selectedStep: 2 };
  const parts: Child[] = [
    ...header(state, false),
    ...compareSection(state, false),
    ...workflowSection(state, ui),
    ...historySection(state, ui),
    ...runsSection(state, ui),
  ];
  const root = new FakeElement("main");
  for (const part of parts) if (part) root.append(typeof part === "string" ? part : asFake(part));
  return root;
}

test("the page has exactly one aria-live region, outside the re-rendered app, and it starts empty", () => {
  const html = inspectorHtml({ cspSource: "vscode-resource:", nonce: "n0nce", scriptUri: "inspector.js", title: "t" });
  const live = [...html.matchAll(/<(\w+)\b[^>]*\baria-live="[^"]*"[^>]*>([^<]*)<\/\1>/g)];
  assert.equal((html.match(/aria-live=/g) ?? []).length, 1);
  assert.equal(live.length, 1);
  const [tag, text] = [live[0]?.[0] ?? "", live[0]?.[2] ?? ""];
  assert.match(tag, /role="status"/, "a polite status region, not an alert");
  assert.match(tag, /aria-live="polite"/);
  assert.equal(text, "", "it carries only the status line the page writes into it");
  assert.ok(
    html.indexOf('id="status"') < html.indexOf('<main id="app"'),
    "the region is not part of what each state update patches",
  );
});

test("the sections add no live region: state updates are never announced wholesale", () => {
  const elements = renderedPage(fullState()).all();
  assert.ok(elements.length > 100, `only ${elements.length} elements were rendered`);
  const live = elements.filter(
    (element) =>
      element.getAttribute("aria-live") !== null ||
      element.getAttribute("aria-atomic") !== null ||
      LIVE_ROLES.includes(element.getAttribute("role") ?? ""),
  );
  assert.deepEqual(
    live.map((element) => element.tagName),
    [],
  );
});

test("lists are real lists: ol and ul hold only li, every li sits in one, and nothing else claims a list role", () => {
  const elements = renderedPage(fullState()).all();
  const lists = elements.filter((element) => element.tagName === "ol" || element.tagName === "ul");
  assert.deepEqual(
    [...new Set(lists.map((list) => list.getAttribute("aria-label") ?? list.getAttribute("class") ?? list.tagName))],
    ["changes", "ul", "Planning records", "Recent runs, newest first"],
    "the comparison's changes (with their details), the planning records and the runs are lists",
  );
  for (const list of lists) {
    assert.ok(list.elements.length > 0, `an empty ${list.tagName} is not rendered`);
    assert.deepEqual(
      list.elements.filter((child) => child.tagName !== "li").map((child) => child.tagName),
      [],
      `${list.tagName} holds only li`,
    );
  }
  const items = elements.filter((element) => element.tagName === "li");
  assert.deepEqual(
    items.filter((item) => item.parent?.tagName !== "ol" && item.parent?.tagName !== "ul").map((item) => item.tagName),
    [],
    "every li is in a list",
  );
  assert.deepEqual(
    elements
      .filter((element) => LIST_ROLES.includes(element.getAttribute("role") ?? ""))
      .map((element) => `${element.tagName}[role=${element.getAttribute("role")}]`),
    [],
    "list semantics come from the elements themselves, never from a role on something else",
  );
  // The graph is a group of buttons, not a list.
  const graph = elements.find((element) => element.getAttribute("data-testid") === "step-graph");
  assert.equal(graph?.getAttribute("role"), "group");
  assert.ok(
    graph
      ?.all()
      .filter((element) => element.getAttribute("data-testid") === "graph-node")
      .every((node) => node.getAttribute("role") === "button"),
  );
});
