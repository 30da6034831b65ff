import type { WorkflowError } from "../../engine/errors";
import { isPlainObject } from "../../engine/json/isPlainObject";
import type { JsonSchema } from "../../engine/jsonSchema";
import { describeUsage } from "../../engine/llmUsage";
import type { FunctionState, FunctionStatus, StoredWorkflow } from "../../engine/runtimeTypes";
import {
  formatPath,
  parseReference,
  parseTemplate,
  stepsReadBy,
  type Reference,
} from "../../engine/workflow/references";
import {
  OUTPUT_STEP,
  type PlanningRecord,
  type StepArg,
  type VerificationRecord,
  type WorkflowFile,
} from "../../engine/workflow/types";
import type { RunRecord } from "../runHistory";
import type { ComparisonView } from "./inspectorCompare";

// Everything here is plain JSON: it is posted to the webview as is.

export type WiringKind = "literal" | "reference" | "template";

export interface ArgView {
  name: string;
  kind: WiringKind;
  /** The literal as JSON, the reference path, or the template text. */
  text: string;
  /** Steps this argument reads from (0 is the function input). */
  refs: number[];
}

/** One edge of the data-flow graph: `to` reads `from`'s output, through these fields. */
export interface FlowEdge {
  from: number;
  to: number;
  /** `field → argument` (just the field when both are named alike), one per read. */
  fields: string[];
}

export interface StepView {
  id: number;
  kind: "input" | "tool" | "output";
  title: string;
  toolId?: string;
  /** Input fields for the input node; wiring for the others. */
  fields: string[];
  args: ArgView[];
  /** Later steps that read this step's output. */
  usedBy: number[];
}

export interface ErrorView {
  kind: string;
  stage: string;
  message: string;
}

export interface DiffView {
  path: string;
  kind: string;
  expected?: string;
  actual?: string;
  producedBy?: string;
}

export interface HistoryView {
  stage: string;
  loop: number;
  attempt: number;
  at: string;
  ok: boolean;
  step?: number;
  note?: string;
  error?: ErrorView;
  diffs: DiffView[];
  verdict?: { decision: boolean; justification: string };
  /** The LLM call's tokens, model time and context window, in one line. */
  usage?: string;
  /** The server evaluated far fewer prompt tokens than were sent. */
  warning?: string;
  /** A reasoning model's thinking, shown collapsed. */
  thinking?: string;
  /** The tools the call's prompt showed. */
  tools?: string[];
}

export interface WorkflowView {
  file: string;
  id: string;
  savedAt: string;
  model: string;
  completed: boolean;
  planningPossible: boolean;
  initCheck: { decision: boolean; justification: string; votes: number } | null;
  lastError: ErrorView | null;
  stats: WorkflowFile["stats"];
  /** Tokens and model time summed over the planning's LLM calls, in one line. */
  usage?: string;
  steps: StepView[];
  edges: FlowEdge[];
  history: HistoryView[];
}

export interface StepRunView {
  step: number;
  tool: string;
  input: string;
  output?: string;
  error?: ErrorView;
  durationMs: number;
}

export interface RunView {
  id: number;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  reused?: boolean;
  /** The run used an unverified workflow: which tool and file changed with no test to vouch for it. */
  warning?: string;
  workflowId?: string;
  input: string;
  output?: string;
  error?: ErrorView;
  steps: StepRunView[];
}

export interface WorkflowChoice {
  file: string;
  savedAt: string;
  completed: boolean;
}

export interface InspectorState {
  folderUri: string;
  folderName: string;
  functionName: string;
  description: string;
  /** The function's status, with why it is stale, unverified or failed. */
  status?: { status: FunctionStatus; reason?: string };
  workflows: WorkflowChoice[];
  selected: WorkflowView | null;
  runs: RunView[];
  /** Compare mode: the changes from another stored workflow to the selected one. */
  comparison?: ComparisonView;
}

export function argView(name: string, arg: StepArg): ArgView {
  if ("ref" in arg) return { name, kind: "reference", text: arg.ref, refs: stepsReadBy(arg) };
  if ("template" in arg) return { name, kind: "template", text: arg.template, refs: stepsReadBy(arg) };
  return { name, kind: "literal", text: JSON.stringify(arg.value), refs: [] };
}

function schemaFields(schema: JsonSchema): string[] {
  const properties = schema.properties;
  return isPlainObject(properties) ? Object.keys(properties) : [];
}

/** The workflow as a graph: the input node, one node per tool step, the output node. */
export function stepGraph(workflow: WorkflowFile): StepView[] {
  const nodes: StepView[] = [
    { id: 0, kind: "input", title: "step 0", fields: schemaFields(workflow.task.inputSchema), args: [], usedBy: [] },
  ];
  for (const step of workflow.steps) {
    const args = Object.entries(step.args).map(([name, arg]) => argView(name, arg));
    const isOutput = step.tool === OUTPUT_STEP;
    nodes.push({
      id: step.id,
      kind: isOutput ? "output" : "tool",
      title: isOutput ? `${OUTPUT_STEP} · step ${step.id}` : step.tool,
      ...(step.toolId ? { toolId: step.toolId } : {}),
      fields: isOutput ? schemaFields(workflow.task.outputSchema) : [],
      args,
      usedBy: [],
    });
  }
  for (const node of nodes) {
    for (const ref of new Set(node.args.flatMap((arg) => arg.refs))) {
      nodes.find((candidate) => candidate.id === ref)?.usedBy.push(node.id);
    }
  }
  return nodes;
}

/** The references an argument reads; unparsable ones (a corrupt file) read nothing. */
function readsOf(arg: StepArg): Reference[] {
  if ("ref" in arg) {
    const parsed = parseReference(arg.ref);
    return parsed.ok ? [parsed.value] : [];
  }
  if ("template" in arg) {
    const parsed = parseTemplate(arg.template);
    return parsed.ok ? parsed.value.flatMap((part) => ("ref" in part ? [part.ref] : [])) : [];
  }
  return [];
}

function readLabel(ref: Reference, argName: string): string {
  const field = formatPath(ref.path).replace(/^\./, "") || "output";
  return field === argName ? field : `${field} → ${argName}`;
}

/** The data flow: an edge wherever a reference or a template placeholder reads an earlier step. */
export function dataFlowEdges(workflow: WorkflowFile): FlowEdge[] {
  const edges = new Map<string, FlowEdge>();
  for (const step of workflow.steps) {
    for (const [name, arg] of Object.entries(step.args)) {
      for (const ref of readsOf(arg)) {
        const key = `${ref.step}>${step.id}`;
        const edge = edges.get(key) ?? { from: ref.step, to: step.id, fields: [] };
        const label = readLabel(ref, name);
        if (!edge.fields.includes(label)) edge.fields.push(label);
        edges.set(key, edge);
      }
    }
  }
  return [...edges.values()];
}

const MAX_TEXT = 4000;

/** Pretty JSON, shortened so one huge output cannot freeze the webview. */
export function displayJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n… (${text.length - MAX_TEXT} more characters)` : text;
}

function errorView(error: WorkflowError): ErrorView {
  return { kind: error.kind, stage: error.stage, message: error.message };
}

function historyView(record: PlanningRecord): HistoryView {
  return {
    stage: record.stage,
    loop: record.loop,
    attempt: record.attempt,
    at: record.at,
    ok: record.ok,
    ...(record.step === undefined ? {} : { step: record.step }),
    ...(record.note ? { note: record.note } : {}),
    ...(record.error ? { error: errorView(record.error) } : {}),
    diffs: (record.diffs ?? []).map((diff) => ({
      path: diff.path,
      kind: diff.kind,
      ...(diff.expected === undefined ? {} : { expected: JSON.stringify(diff.expected) }),
      ...(diff.actual === undefined ? {} : { actual: JSON.stringify(diff.actual) }),
      ...(diff.producedBy ? { producedBy: `step ${diff.producedBy.step} (${diff.producedBy.tool})` } : {}),
    })),
    ...(record.verdict ? { verdict: record.verdict } : {}),
    ...(record.llm ? { usage: callUsageText(record.llm) } : {}),
    ...(record.llm?.warning ? { warning: record.llm.warning } : {}),
    ...(record.thinking ? { thinking: record.thinking } : {}),
    ...(record.tools ? { tools: record.tools } : {}),
  };
}

function callUsageText(llm: NonNullable<PlanningRecord["llm"]>): string {
  const cost = llm.usage ? describeUsage(llm.usage) : `${llm.promptChars} prompt characters`;
  return llm.contextTokens === undefined ? cost : `${cost} · num_ctx ${llm.contextTokens}`;
}

export function workflowView(stored: StoredWorkflow): WorkflowView {
  const { workflow } = stored;
  return {
    file: stored.file,
    id: workflow.id,
    savedAt: workflow.savedAt,
    model: workflow.model,
    completed: workflow.completed,
    planningPossible: workflow.planningPossible,
    initCheck: workflow.initCheck,
    lastError: workflow.lastError ? errorView(workflow.lastError) : null,
    stats: workflow.stats,
    ...(workflow.stats.usage ? { usage: describeUsage(workflow.stats.usage) } : {}),
    steps: stepGraph(workflow),
    edges: dataFlowEdges(workflow),
    // Re-verifications on changed code follow the planning, oldest first (records are newest first).
    history: [
      ...workflow.history.map(historyView),
      ...[...(stored.verifications ?? [])].reverse().map(verificationView),
    ],
  };
}

function verificationView(record: VerificationRecord): HistoryView {
  return {
    stage: "verify",
    loop: 0,
    attempt: 1,
    at: record.at,
    ok: true,
    note: `${record.tests} test case${record.tests === 1 ? "" : "s"} pass on changed code, with no LLM: ${record.changes.join("; ")}`,
    diffs: [],
  };
}

export function runView(record: RunRecord): RunView {
  return {
    id: record.id,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    ok: record.ok,
    ...(record.reused === undefined ? {} : { reused: record.reused }),
    ...(record.warning === undefined ? {} : { warning: record.warning }),
    ...(record.workflowId ? { workflowId: record.workflowId } : {}),
    input: displayJson(record.input),
    ...(record.ok ? { output: displayJson(record.output) } : {}),
    ...(record.error ? { error: errorView(record.error) } : {}),
    steps: (record.trace?.steps ?? []).map((step) => ({
      step: step.step,
      tool: step.tool,
      input: displayJson(step.input),
      ...(step.output === undefined ? {} : { output: displayJson(step.output) }),
      ...(step.error ? { error: errorView(step.error) } : {}),
      durationMs: step.durationMs,
    })),
  };
}

export interface InspectorSource {
  folderUri: string;
  folderName: string;
  functionName: string;
  description: string;
  /** Newest first. */
  workflows: readonly StoredWorkflow[];
  /** The workflow to show; defaults to the newest completed one, else the newest. */
  selectedFile?: string;
  state?: FunctionState;
  runs: readonly RunRecord[];
}

const MAX_RUNS = 10;

export function inspectorState(source: InspectorSource): InspectorState {
  const selected =
    source.workflows.find((stored) => stored.file === source.selectedFile) ??
    source.workflows.find((stored) => stored.workflow.completed) ??
    source.workflows[0];
  return {
    folderUri: source.folderUri,
    folderName: source.folderName,
    functionName: source.functionName,
    description: source.description,
    ...(source.state
      ? {
          status: {
            status: source.state.status,
            ...(source.state.reason === undefined ? {} : { reason: source.state.reason }),
          },
        }
      : {}),
    workflows: source.workflows.map((stored) => ({
      file: stored.file,
      savedAt: stored.workflow.savedAt,
      completed: stored.workflow.completed,
    })),
    selected: selected ? workflowView(selected) : null,
    runs: source.runs.slice(0, MAX_RUNS).map(runView),
  };
}
