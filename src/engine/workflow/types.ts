import type { WorkflowError } from "../errors";
import type { JsonSchema, JsonValue } from "../jsonSchema";
import type { LlmUsage, UsageTotals } from "../llm/llmUsage";

/**
 * How one argument of a step is wired:
 * - `value`: a JSON literal, kept as planned;
 * - `ref`: `"<step>.output.<path>"`, e.g. `"2.output.items[0].title"`; step 0 is the function input;
 * - `template`: a string embedding references, e.g. `"Weather in {{0.output.city}}: {{1.output.forecast}}"`.
 */
export type StepArg = { value: JsonValue } | { ref: string } | { template: string };

/** Name of the final step, whose args build the function's output. */
export const OUTPUT_STEP = "output_model";

export interface WorkflowStep {
  /** 1..N; step 0 is the function's input and is not listed. */
  id: number;
  /** A tool name, or `output_model` for the last step. */
  tool: string;
  /** The tool id the step was planned against (absent for `output_model`). */
  toolId?: string;
  args: Record<string, StepArg>;
}

/** A planned step as the planner wrote it, before adaptation (args are raw JSON). */
export interface PlannedStep {
  name: string;
  args: Record<string, JsonValue>;
}

export interface InitCheckResult {
  decision: boolean;
  justification: string;
  votes: number;
}

/** One field that differs between an expected and an actual output. */
export interface OutputDiff {
  path: string;
  kind: "value" | "length" | "missing_actual" | "missing_expected" | "type";
  expected?: JsonValue;
  actual?: JsonValue;
  /** Which workflow step produced the field, when the output step wires it from one. */
  producedBy?: { step: number; tool: string };
}

export type PlanningStage = "check" | "plan" | "adapt" | "test";

/** One entry of the planning history kept in a workflow file. */
export interface PlanningRecord {
  stage: PlanningStage;
  loop: number;
  attempt: number;
  at: string;
  ok: boolean;
  /** Adaptor entries name the step they adapted. */
  step?: number;
  /** What the LLM was told and answered (trimmed), or what the deterministic pass did. */
  note?: string;
  llm?: LlmCallFigures;
  /** A reasoning model's thinking for this call (trimmed), kept out of answer parsing. */
  thinking?: string;
  /** The tools this call's prompt showed, by name. */
  tools?: string[];
  error?: WorkflowError;
  diffs?: OutputDiff[];
  /** Check entries carry the verdict. */
  verdict?: { decision: boolean; justification: string };
}

/** What one LLM call of a planning sent, got back and cost. */
export interface LlmCallFigures {
  calls: number;
  promptChars: number;
  responseChars: number;
  /** Tokens and durations as the server reported them. */
  usage?: LlmUsage;
  /** The `num_ctx` sent (Ollama). */
  contextTokens?: number;
  estimatedPromptTokens?: number;
  /** Set when the server evaluated far fewer prompt tokens than were sent. */
  warning?: string;
}

/** A planning's figures, summed over its calls. */
export interface PlanningStats {
  llmCalls: number;
  promptChars: number;
  retries: number;
  loops: number;
  durationMs: number;
  /** Tokens and model time summed over every LLM call (absent in files written before it was recorded). */
  usage?: UsageTotals;
}

export interface FunctionTask {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
}

export const WORKFLOW_FORMAT_VERSION = 1;

/** The stored artifact: one planning of one function, complete or not. */
export interface WorkflowFile {
  formatVersion: typeof WORKFLOW_FORMAT_VERSION;
  id: string;
  inputId: string;
  savedAt: string;
  task: FunctionTask;
  model: string;
  initCheck: InitCheckResult | null;
  planningPossible: boolean;
  completed: boolean;
  steps: WorkflowStep[];
  history: PlanningRecord[];
  lastError: WorkflowError | null;
  stats: PlanningStats;
}

/** What one step did during a run, for traces and the inspector. */
export interface StepTrace {
  step: number;
  tool: string;
  input: unknown;
  output?: unknown;
  error?: WorkflowError;
  durationMs: number;
}

export interface RunTrace {
  steps: StepTrace[];
  durationMs: number;
}
