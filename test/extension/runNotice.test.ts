import assert from "node:assert/strict";
import { test } from "node:test";
import { runView } from "../../src/extension/inspector/inspectorModel";
import { RunHistory, type RunStore } from "../../src/extension/runHistory";
import { runNotice } from "../../src/extension/runNotice";
import { EMPTY_UI } from "../../src/extension/webview/inspectorPageState";
import { runsSection } from "../../src/extension/webview/inspectorSections";
import { asFake, installFakeDocument } from "./fakeDom";
import { stored } from "./fixtures";

installFakeDocument();

// What the engine's CallOutcome.warning says for an unverified workflow (llmFunctionRuntime.ts).
const WARNING =
  "city_forecast runs an unverified workflow: code changed since it was planned: forecast (weather.llm.ts): `lib/units.ts` modified; city_forecast has no test cases to replay.";

test("a run of a verified workflow ends with an information toast offering Inspect", () => {
  assert.deepEqual(runNotice("city_forecast", { durationMs: 34.4, reused: true }), {
    severity: "information",
    text: "city_forecast finished in 34 ms (stored workflow).",
    actions: ["Inspect"],
  });
  assert.match(runNotice("city_forecast", { durationMs: 1200, reused: false }).text, /newly planned workflow/);
});

test("a run of an unverified workflow is a warning naming the tool and file that changed, with Inspect and Replan", () => {
  const notice = runNotice("city_forecast", { durationMs: 3, reused: true, warning: WARNING });
  assert.equal(notice.severity, "warning");
  assert.deepEqual(notice.actions, ["Inspect", "Replan"]);
  assert.match(notice.text, /^city_forecast finished in 3 ms \(stored workflow\)\. Check its result: /);
  assert.match(notice.text, /forecast \(weather\.llm\.ts\): "lib\/units\.ts" modified/, "no literal backticks");
  assert.match(notice.text, /no test cases to replay\. Add a test case to the function, or replan it\.$/);
});

function memoryStore(): RunStore {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key: string, value: unknown) => {
      values.set(key, JSON.parse(JSON.stringify(value)));
    },
  };
}

test("the run record keeps the warning, across a reload too, and the inspector's recent runs show it", () => {
  const state = memoryStore();
  const workflow = stored("/w/wf1.json").workflow;
  new RunHistory(100, { state, key: "runs" }).add({
    functionName: "city_forecast",
    startedAt: "2025-03-04T11:00:00.000Z",
    durationMs: 3,
    input: { city: "Paris" },
    ok: true,
    output: { highC: 15 },
    workflowId: workflow.id,
    reused: true,
    warning: WARNING,
  });
  const [kept] = new RunHistory(100, { state, key: "runs" }).all();
  assert.ok(kept);
  assert.equal(kept.warning, WARNING, "kept in workspace state");
  const view = runView(kept);
  assert.equal(view.warning, WARNING);
  const [, list] = runsSection({ ...emptyState(), runs: [view] }, EMPTY_UI);
  const shown = asFake(list)
    .all()
    .find((element) => element.getAttribute("data-testid") === "run-warning");
  assert.ok(shown, "the run entry has a warning row");
  assert.equal(shown.children.join(""), `Unverified: ${WARNING}`);
  const plain = runView({ ...kept, warning: undefined });
  assert.equal("warning" in plain, false, "a verified run has no warning field");
});

function emptyState() {
  return {
    folderUri: "file:///w",
    folderName: "w",
    functionName: "city_forecast",
    description: "Forecast",
    workflows: [],
    selected: null,
    runs: [],
  };
}
