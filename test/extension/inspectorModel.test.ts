import assert from "node:assert/strict";
import { test } from "node:test";
import {
  argView,
  dataFlowEdges,
  displayJson,
  inspectorState,
  stepGraph,
} from "../../src/extension/inspector/inspectorModel";
import { RunHistory } from "../../src/extension/runHistory";
import { stored, weatherWorkflow } from "./fixtures";

test("the graph has the input node, one node per tool step and the output node", () => {
  const graph = stepGraph(weatherWorkflow());
  assert.deepEqual(
    graph.map((node) => [node.id, node.kind, node.title]),
    [
      [0, "input", "step 0"],
      [1, "tool", "geocode"],
      [2, "tool", "forecast"],
      [3, "output", "output_model · step 3"],
    ],
  );
  assert.deepEqual(graph[0]?.fields, ["city"]);
  assert.deepEqual(graph[3]?.fields, ["summary", "tempC"]);
});

test("each argument shows its wiring kind and the steps it reads", () => {
  const graph = stepGraph(weatherWorkflow());
  const geocode = graph[1]!;
  assert.deepEqual(geocode.args, [
    { name: "name", kind: "reference", text: "0.output.city", refs: [0] },
    { name: "country", kind: "literal", text: '"NL"', refs: [] },
  ]);
  const output = graph[3]!;
  assert.deepEqual(output.args[0], {
    name: "summary",
    kind: "template",
    text: "{{0.output.city}}: {{2.output.text}}",
    refs: [0, 2],
  });
  assert.deepEqual(output.args[1], { name: "tempC", kind: "reference", text: "2.output.temp", refs: [2] });
});

test("nodes know which later steps use their output", () => {
  const graph = stepGraph(weatherWorkflow());
  assert.deepEqual(
    graph.map((node) => node.usedBy),
    [[1, 3], [2], [3], []],
  );
});

test("edges follow the data flow only, labelled with the fields read, not the step order", () => {
  const workflow = weatherWorkflow({
    steps: [
      { id: 1, tool: "geocode", toolId: "t1", args: { name: { ref: "0.output.city" }, country: { value: "NL" } } },
      { id: 2, tool: "clock", toolId: "t3", args: {} },
      {
        id: 3,
        tool: "forecast",
        toolId: "t2",
        args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" }, days: { value: 1 } },
      },
      {
        id: 4,
        tool: "output_model",
        args: {
          summary: { template: "{{0.output.city}} at {{2.output.time}}: {{3.output.text}}" },
          tempC: { ref: "3.output.days[0].temp" },
          raw: { ref: "not a ref" },
        },
      },
    ],
  });
  assert.deepEqual(dataFlowEdges(workflow), [
    { from: 0, to: 1, fields: ["city → name"] },
    { from: 1, to: 3, fields: ["lat", "lon"] },
    { from: 0, to: 4, fields: ["city → summary"] },
    { from: 2, to: 4, fields: ["time → summary"] },
    { from: 3, to: 4, fields: ["text → summary", "days[0].temp → tempC"] },
  ]);
  assert.ok(
    !dataFlowEdges(workflow).some((edge) => edge.from === 1 && edge.to === 2),
    "no arrow between consecutive steps that share no data",
  );
});

test("arg views name the steps their references read, parsed by the engine's reference syntax", () => {
  assert.deepEqual(argView("a", { ref: "12.output.items[0].title" }).refs, [12]);
  assert.deepEqual(argView("a", { ref: "0.output" }).refs, [0]);
  assert.deepEqual(argView("a", { ref: "output.city" }).refs, []);
  assert.deepEqual(
    argView("t", { template: "{{1.output.a}} and {{ 3.output.b }} and {{1.output.c}} {{bad}}" }).refs,
    [1, 3],
  );
  assert.deepEqual(argView("x", { value: { nested: [1, 2] } }), {
    name: "x",
    kind: "literal",
    text: '{"nested":[1,2]}',
    refs: [],
  });
});

test("the inspector state selects the newest completed workflow and carries history and runs", () => {
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
  history.add({
    functionName: "other",
    startedAt: "2025-03-04T11:01:00.000Z",
    durationMs: 1,
    input: {},
    ok: false,
    error: { kind: "INPUT_VALIDATION", stage: "input", message: "bad" },
  });
  const state = inspectorState({
    folderUri: "file:///w",
    folderName: "w",
    functionName: "summarize",
    description: "Summarize",
    workflows: [
      stored("/w/.llm-function/workflows/b.json", {
        id: "wf2",
        completed: false,
        lastError: { kind: "RUNNER", stage: "test", message: "boom" },
      }),
      stored("/w/.llm-function/workflows/a.json"),
    ],
    runs: history.forFunction("summarize"),
  });
  assert.equal(state.selected?.id, "wf1");
  assert.equal(state.workflows.length, 2);
  assert.equal(state.selected?.history.length, 4);
  assert.deepEqual(state.selected?.history[1]?.error, {
    kind: "PLANNING_HF",
    stage: "plan",
    message: "Unknown tool weather",
  });
  assert.deepEqual(state.selected?.history[2]?.diffs, [
    { path: "tempC", kind: "value", expected: "12", actual: "11.5", producedBy: "step 2 (forecast)" },
  ]);
  assert.deepEqual(state.selected?.history[0]?.verdict, {
    decision: true,
    justification: "geocode and forecast cover it",
  });
  assert.equal(state.runs.length, 1);
  assert.equal(state.runs[0]?.steps[0]?.tool, "geocode");
  assert.match(state.runs[0]?.output ?? "", /Delft: sunny/);
  // The state crosses into the webview: it must survive JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state);

  const failed = inspectorState({ ...stateSource(), selectedFile: "/w/.llm-function/workflows/b.json" });
  assert.equal(failed.selected?.completed, false);
  assert.deepEqual(failed.selected?.lastError, { kind: "RUNNER", stage: "test", message: "boom" });
});

function stateSource() {
  return {
    folderUri: "file:///w",
    folderName: "w",
    functionName: "summarize",
    description: "Summarize",
    workflows: [
      stored("/w/.llm-function/workflows/b.json", {
        completed: false,
        lastError: { kind: "RUNNER" as const, stage: "test" as const, message: "boom" },
      }),
      stored("/w/.llm-function/workflows/a.json"),
    ],
    runs: [],
  };
}

test("without workflows nothing is selected, and huge values are shortened", () => {
  assert.equal(inspectorState({ ...stateSource(), workflows: [] }).selected, null);
  const text = displayJson({ big: "x".repeat(10_000) });
  assert.ok(text.length < 4200);
  assert.match(text, /more characters/);
});
