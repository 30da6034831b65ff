// Positions for the data-flow graph: dagre lays the steps out as a top-down DAG, leaving room for edge labels.
import dagre from "@dagrejs/dagre";
import type { FlowEdge, StepView } from "../inspector/inspectorModel";

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 48;
/** Edge labels are cut to this many characters (the full text is the label's tooltip). */
export const EDGE_LABEL_CHARS = 36;
/** Width of one character of an edge label (monospace, 0.8em), for the space dagre leaves. */
export const LABEL_CHAR_WIDTH = 7;
const LABEL_HEIGHT = 18;

export interface PlacedNode {
  id: number;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge {
  from: number;
  to: number;
  label: string;
  /** The full label when `label` was shortened. */
  fullLabel: string;
  points: { x: number; y: number }[];
  /** Centre of the label. */
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export function shortLabel(fields: readonly string[]): { label: string; fullLabel: string } {
  const fullLabel = fields.join(", ");
  return {
    label: fullLabel.length > EDGE_LABEL_CHARS ? `${fullLabel.slice(0, EDGE_LABEL_CHARS - 1)}…` : fullLabel,
    fullLabel,
  };
}

export function layoutGraph(steps: readonly StepView[], edges: readonly FlowEdge[]): GraphLayout {
  const graph = new dagre.graphlib.Graph<
    object,
    { width: number; height: number },
    { width: number; height: number; labelpos: "c" }
  >({ multigraph: false });
  graph.setGraph({ rankdir: "TB", nodesep: 24, ranksep: 44, edgesep: 10, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({ width: 0, height: 0, labelpos: "c" }));
  const known = new Set(steps.map((step) => step.id));
  for (const step of steps) graph.setNode(String(step.id), { width: NODE_WIDTH, height: NODE_HEIGHT });
  const drawn = edges.filter((edge) => known.has(edge.from) && known.has(edge.to) && edge.from !== edge.to);
  for (const edge of drawn) {
    const { label } = shortLabel(edge.fields);
    graph.setEdge(String(edge.from), String(edge.to), {
      width: label.length * LABEL_CHAR_WIDTH + 12,
      height: LABEL_HEIGHT,
      labelpos: "c",
    });
  }
  dagre.layout(graph);
  const nodes = steps.map((step): PlacedNode => {
    const placed = graph.node(String(step.id)) as { x: number; y: number; width: number; height: number };
    return {
      id: step.id,
      x: placed.x - placed.width / 2,
      y: placed.y - placed.height / 2,
      width: placed.width,
      height: placed.height,
    };
  });
  const placedEdges = drawn.map((edge): PlacedEdge => {
    const placed = graph.edge(String(edge.from), String(edge.to)) as {
      points?: { x: number; y: number }[];
      x?: number;
      y?: number;
    };
    const points = placed.points ?? [];
    const middle = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return {
      from: edge.from,
      to: edge.to,
      ...shortLabel(edge.fields),
      points,
      labelX: placed.x ?? middle.x,
      labelY: placed.y ?? middle.y,
    };
  });
  const size = graph.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes, edges: placedEdges };
}
