import type { ProgressListener } from "./progress";
import type { RunTrace, WorkflowFile } from "./workflow/types";

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Plan anew even when a stored workflow exists (also a runtime setting). */
  forceReplan?: boolean;
  /** Record per-step inputs, outputs and durations (default true; typed callables turn it off). */
  trace?: boolean;
}

export interface CallOutcome {
  output: unknown;
  workflow: WorkflowFile;
  trace: RunTrace;
  /** True when the workflow came from memory or a file rather than a fresh planning. */
  reused: boolean;
}

/** ready: a completed workflow matches the current tools; stale: it names tool ids that changed. */
export type FunctionStatus = "ready" | "not_planned" | "stale" | "failed";

export interface StoredWorkflow {
  /** Absolute path of the file. */
  file: string;
  workflow: WorkflowFile;
}
