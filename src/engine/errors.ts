/**
 * Every failure the engine can report, as data: a kind (what went wrong), a stage (where)
 * and a message a user can act on. The kinds before LLM_* are the planning and run failures the
 * assembler's reset table acts on; the others come from around it (the LLM, settings, storage).
 */
export const ERROR_KINDS = [
  "INIT_CHECK",
  "PLANNING_JSON",
  "PLANNING_HF",
  "PLANNING_MISSOUTPUT",
  "PLANNING_OUTPUT_MODEL",
  "PLANNING_RESET",
  "ADAPTOR_JSON",
  "INPUTS",
  "RUNNER",
  "OUTPUTS_FAILURE",
  "OUTPUTS_UNEXPECTED",
  "INPUT_VALIDATION",
  "INCOMPLETE_WORKFLOW",
  "LLM_UNREACHABLE",
  "LLM_MODEL_NOT_FOUND",
  "LLM_HTTP",
  "LLM_TIMEOUT",
  "LLM_BAD_RESPONSE",
  // The prompt and its answer cannot fit the model's context window: never sent to be cut silently.
  "LLM_CONTEXT",
  "CANCELLED",
  "CONFIG",
  "STORAGE",
  // A bug of ours, not of the plan, the tools or the LLM: reported instead of crashing the host.
  "INTERNAL",
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const STAGES = [
  "config",
  "input",
  "init_check",
  "plan",
  "adapt",
  "test",
  "run",
  "output",
  "storage",
  "llm",
] as const;
export type Stage = (typeof STAGES)[number];

export interface WorkflowError {
  kind: ErrorKind;
  stage: Stage;
  message: string;
  /** Structured context: failing tool, unknown names, diffs, zod issues, HTTP status... */
  details?: Record<string, unknown>;
}

export function workflowError(
  kind: ErrorKind,
  stage: Stage,
  message: string,
  details?: Record<string, unknown>,
): WorkflowError {
  return details === undefined ? { kind, stage, message } : { kind, stage, message, details };
}

/** Thrown by a called LLM function; carries the workflow error that made it fail. */
export class LlmFunctionError extends Error {
  readonly kind: ErrorKind;
  readonly stage: Stage;
  readonly details: Record<string, unknown> | undefined;
  readonly workflowError: WorkflowError;

  constructor(error: WorkflowError, functionName?: string) {
    super(`${functionName ? `${functionName}: ` : ""}${error.kind} at ${error.stage}: ${error.message}`);
    this.name = "LlmFunctionError";
    this.kind = error.kind;
    this.stage = error.stage;
    this.details = error.details;
    this.workflowError = error;
  }
}

/** True when an AbortSignal fired; turns it into the CANCELLED error at the given stage. */
export function cancelledError(stage: Stage): WorkflowError {
  return workflowError("CANCELLED", stage, "The operation was cancelled.");
}

/**
 * A thrown value as text. Never throws itself: a tool may throw an object whose `toString`,
 * `message` getter or JSON form throws, or a value JSON cannot carry.
 */
export function describeUnknown(value: unknown): string {
  try {
    if (value instanceof Error) return String(value.message) || value.name;
    if (typeof value === "string") return value;
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // Falls through to String(), then to a fixed description.
  }
  try {
    return String(value);
  } catch {
    return `a thrown ${value === null ? "null" : typeof value} that cannot be described`;
  }
}
