// The Workflow Inspector's data-flow graph: input, steps and output laid out as a DAG, one edge per
// step that reads another (labelled with the fields), nodes reachable by Tab and the arrow keys.
import type { StepView, WorkflowView } from "../inspector/inspectorModel";
import { h, svg } from "./dom";
import { LABEL_CHAR_WIDTH, layoutGraph, type PlacedEdge } from "./graphLayout";

export function nodeLabel(step: StepView): string {
  return step.kind === "input" ? "Input" : step.kind === "output" ? "Output" : `Step ${step.id}`;
}

function nodeTitle(step: StepView): string {
  return step.kind === "tool" ? step.title : step.kind === "input" ? "function input" : "function output";
}

function describeNode(step: StepView, workflow: WorkflowView): string {
  const reads = workflow.edges
    .filter((edge) => edge.to === step.id)
    .map((edge) => `${edge.fields.join(", ")} from ${edge.from === 0 ? "the input" : `step ${edge.from}`}`);
  const readBy = workflow.edges
    .filter((edge) => edge.from === step.id)
    .map((edge) => (edge.to === outputId(workflow) ? "the output" : `step ${edge.to}`));
  return [
    `${nodeLabel(step)}: ${nodeTitle(step)}`,
    reads.length > 0 ? `reads ${reads.join("; ")}` : "",
    readBy.length > 0 ? `read by ${readBy.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(". ");
}

function outputId(workflow: WorkflowView): number | undefined {
  return workflow.steps.find((step) => step.kind === "output")?.id;
}

function edgePath(edge: PlacedEdge): string {
  return edge.points
    .map((point, index) => `${index === 0 ? "M" : "L"}${point.x.toFixed(1)},${point.y.toFixed(1)}`)
    .join(" ");
}

/** The node after (`+1`) or before (`-1`) `current` in step order, for the arrow keys. */
export function neighbourStep(
  steps: readonly StepView[],
  current: number | undefined,
  direction: 1 | -1 | "first" | "last",
): number | undefined {
  if (steps.length === 0) return undefined;
  if (direction === "first") return steps[0]?.id;
  if (direction === "last") return steps.at(-1)?.id;
  const index = steps.findIndex((step) => step.id === current);
  const next = index < 0 ? 0 : Math.min(steps.length - 1, Math.max(0, index + direction));
  return steps[next]?.id;
}

const TITLE_CHARS = 24;

function clipped(text: string, chars: number): string {
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/**
 * The graph is one SVG: the webview's CSP allows no inline style attributes, and SVG positions
 * are plain attributes. Nodes are focusable `role="button"` groups in step order.
 */
export function dataFlowGraph(workflow: WorkflowView, selectedStep: number | undefined): HTMLElement {
  const layout = layoutGraph(workflow.steps, workflow.edges);
  const focusable = workflow.steps.some((step) => step.id === selectedStep) ? selectedStep : workflow.steps[0]?.id;
  const touches = (from: number, to: number) =>
    selectedStep !== undefined && (from === selectedStep || to === selectedStep);
  const arrow = (id: string, active: boolean) =>
    svg(
      "marker",
      {
        id,
        viewBox: "0 0 10 10",
        refX: "9",
        refY: "5",
        markerWidth: "7",
        markerHeight: "7",
        orient: "auto-start-reverse",
      },
      svg("path", { d: "M0,0 L10,5 L0,10 z", class: active ? "arrowhead active" : "arrowhead" }),
    );
  const edges = layout.edges.map((edge) =>
    svg("path", {
      d: edgePath(edge),
      class: touches(edge.from, edge.to) ? "edge active" : "edge",
      "marker-end": touches(edge.from, edge.to) ? "url(#arrow-active)" : "url(#arrow)",
      "data-testid": "graph-edge",
      "data-from": String(edge.from),
      "data-to": String(edge.to),
      "data-key": `edge-${edge.from}-${edge.to}`,
    }),
  );
  const labels = layout.edges.map((edge) => {
    const width = edge.label.length * LABEL_CHAR_WIDTH + 10;
    return svg(
      "g",
      {
        class: touches(edge.from, edge.to) ? "edge-label active" : "edge-label",
        transform: `translate(${Math.round(edge.labelX - width / 2)},${Math.round(edge.labelY - 9)})`,
        "data-testid": "edge-label",
        "data-from": String(edge.from),
        "data-to": String(edge.to),
        "data-key": `label-${edge.from}-${edge.to}`,
      },
      svg("title", {}, edge.fullLabel),
      svg("rect", { width: String(width), height: "18", rx: "3" }),
      svg("text", { x: "5", y: "13" }, edge.label),
    );
  });
  const stepsById = new Map(workflow.steps.map((step) => [step.id, step]));
  const nodes = layout.nodes.map((placed) => {
    const step = stepsById.get(placed.id) as StepView;
    return svg(
      "g",
      {
        class: "node",
        transform: `translate(${Math.round(placed.x)},${Math.round(placed.y)})`,
        role: "button",
        tabindex: placed.id === focusable ? "0" : "-1",
        "aria-current": placed.id === selectedStep ? "true" : undefined,
        "aria-label": describeNode(step, workflow),
        "data-action": "select-node",
        "data-step": String(step.id),
        "data-kind": step.kind,
        "data-testid": "graph-node",
        "data-key": `node-${step.id}`,
      },
      svg("title", {}, `${nodeLabel(step)}: ${nodeTitle(step)}`),
      svg("rect", { class: "node-box", width: String(placed.width), height: String(placed.height), rx: "4" }),
      svg("rect", { class: "node-kind", width: "4", height: String(placed.height), rx: "2" }),
      svg("text", { class: "node-no", x: "12", y: "18" }, nodeLabel(step)),
      svg("text", { class: "node-title", x: "12", y: "36" }, clipped(nodeTitle(step), TITLE_CHARS)),
    );
  });
  return h(
    "div",
    { class: "graph-scroll", "data-key": "graph-scroll" },
    svg(
      "svg",
      {
        class: "graph",
        width: String(layout.width),
        height: String(layout.height),
        viewBox: `0 0 ${layout.width} ${layout.height}`,
        role: "group",
        "aria-label": `Data flow of ${workflow.steps.length} nodes and ${workflow.edges.length} edges. Arrow keys move between nodes; Enter shows a node's wiring and last run.`,
        "data-testid": "step-graph",
        "data-key": "graph",
      },
      svg("defs", {}, arrow("arrow", false), arrow("arrow-active", true)),
      ...edges,
      ...labels,
      ...nodes,
    ),
  );
}
