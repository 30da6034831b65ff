import type { WorkflowError } from "./errors";

export type ProgressStage = "lookup" | "check" | "plan" | "adapt" | "test" | "run" | "save";

/** What the assembler and runtime report while they work, for the extension and the CLI. */
export interface ProgressEvent {
  stage: ProgressStage;
  status: "start" | "ok" | "error";
  /** Function name the event belongs to. */
  functionName: string;
  /** Planning loop (0-based reset loop) and attempt within it (1-based). */
  loop?: number;
  attempt?: number;
  /** Adaptor and run events name the step. */
  step?: number;
  message: string;
  error?: WorkflowError;
}

export type ProgressListener = (event: ProgressEvent) => void;
