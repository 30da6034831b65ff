import assert from "node:assert/strict";
import { test } from "node:test";
import type { WorkflowStep } from "../../src/engine/workflow/types";
import { dataFlowEdges, stepGraph } from "../../src/extension/inspector/inspectorModel";
import { EDGE_LABEL_CHARS, layoutGraph, NODE_HEIGHT } from "../../src/extension/webview/graphLayout";
import { weatherWorkflow } from "./fixtures";

/** 24 tool steps: each reads the one before, every third also reads the input, every fifth step 2. */
function longWorkflow() {
  const steps: WorkflowStep[] = [];
  for (let id = 1; id <= 24; id++) {
    const args: WorkflowStep["args"] = { value: { ref: `${id - 1}.output.value` } };
    if (id % 3 === 0) args.city = { ref: "0.output.city" };
    if (id % 5 === 0 && id > 2) args.extra = { template: "{{2.output.value}} and {{1.output.value}}" };
    steps.push({ id, tool: `tool_with_a_rather_long_name_${id}`, toolId: `t${id}`, args });
  }
  steps.push({
    id: 25,
    tool: "output_model",
    args: { summary: { ref: "24.output.value" }, first: { ref: "1.output.value" } },
  });
  return weatherWorkflow({ steps });
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test("a 26-node graph is laid out top-down with no node overlapping another or a label", () => {
  const workflow = longWorkflow();
  const layout = layoutGraph(stepGraph(workflow), dataFlowEdges(workflow));
  assert.equal(layout.nodes.length, 26);
  for (const [i, a] of layout.nodes.entries())
    for (const b of layout.nodes.slice(i + 1)) assert.ok(!overlaps(a, b), `nodes ${a.id} and ${b.id} overlap`);
  const top = new Map(layout.nodes.map((node) => [node.id, node.y]));
  for (const edge of layout.edges) {
    assert.ok((top.get(edge.to) ?? 0) > (top.get(edge.from) ?? 0), `edge ${edge.from}→${edge.to} points down`);
    const label = {
      x: edge.labelX - (edge.label.length * 7 + 10) / 2,
      y: edge.labelY - 9,
      width: edge.label.length * 7 + 10,
      height: 18,
    };
    for (const node of layout.nodes)
      assert.ok(!overlaps(label, node), `the label of ${edge.from}→${edge.to} covers node ${node.id}`);
    assert.ok(edge.label.length <= EDGE_LABEL_CHARS);
  }
  assert.ok(layout.height >= 26 * NODE_HEIGHT);
  assert.ok(
    layout.height > layout.width,
    `it reads top-down, taller (${layout.height} px) than wide (${layout.width} px)`,
  );
});

test("long edge labels are shortened, the full text kept for the tooltip", () => {
  const layout = layoutGraph(stepGraph(weatherWorkflow()), [
    { from: 0, to: 1, fields: ["a_very_long_field_name → argument", "another_long_field → second_argument"] },
  ]);
  const [edge] = layout.edges;
  assert.ok(edge?.label.endsWith("…") && edge.label.length === EDGE_LABEL_CHARS);
  assert.equal(edge.fullLabel, "a_very_long_field_name → argument, another_long_field → second_argument");
});
