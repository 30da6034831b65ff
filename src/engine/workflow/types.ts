import type { z } from "zod";
import type { WorkflowError } from "../errors";
import type { JsonValue } from "../jsonSchema";
import type {
  diffSchema,
  initCheckSchema,
  llmCallSchema,
  recordSchema,
  stepArgSchema,
  statsSchema,
  stepSchema,
  taskSchema,
  workflowFileSchema,
} from "./workflowFileSchema";

// The workflow file's types come from its zod schemas (workflowFileSchema.ts): what is read back is what is written.
// Type-only imports: this module stays free of zod at run time (the activation bundle uses OUTPUT_STEP).

/** How one argument of a step is wired: a `value`, a `ref` or a `template` (see stepArgSchema). */
export type StepArg = z.output<typeof stepArgSchema>;

/** Name of the final step, whose args build the function's output. */
export const OUTPUT_STEP = "output_model";

export type WorkflowStep = z.output<typeof stepSchema>;

/** A planned step as the planner wrote it, before adaptation (args are raw JSON). */
export interface PlannedStep {
  name: string;
  args: Record<string, JsonValue>;
}

export type InitCheckResult = z.output<typeof initCheckSchema>;
export type OutputDiff = z.output<typeof diffSchema>;
export type PlanningRecord = z.output<typeof recordSchema>;
export type PlanningStage = PlanningRecord["stage"];
export type FunctionTask = z.output<typeof taskSchema>;
export type LlmCallFigures = z.output<typeof llmCallSchema>;
export type PlanningStats = z.output<typeof statsSchema>;

export const WORKFLOW_FORMAT_VERSION = 1;

/** The stored artifact: one planning of one function, complete or not. */
export type WorkflowFile = z.output<typeof workflowFileSchema>;

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
