import type { ProgressListener } from "./progress";
import type { CodeChange } from "./workflow/codeRecord";
import type { CaseOutcome } from "./workflow/replayTests";
import type { RunTrace, VerificationRecord, WorkflowFile } from "./workflow/types";

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
  /** Set when the workflow ran although its tools' code changed and no test could vouch for it. */
  warning?: string;
}

/**
 * - ready: a completed workflow matches the tools' contracts, and their code is the code it was
 *   planned or re-verified on (or its tests pass again on the new code);
 * - stale: a tool's contract changed, or its code changed and a test no longer passes: replanned on the next call;
 * - unverified: a tool's code changed and the function has no test to replay: runs with a warning;
 * - failed: the last planning failed or was refused, and no completed workflow is stored.
 */
export type FunctionStatus = "ready" | "not_planned" | "stale" | "unverified" | "failed";

/** A function's status with its reason: which tool and file changed, which test failed and how. */
export interface FunctionState {
  status: FunctionStatus;
  /** One sentence for people; absent when ready or not planned. */
  reason?: string;
  /** The stored workflow the status is about. */
  workflow?: StoredWorkflow;
  /** Tools whose code changed since the workflow was planned or last re-verified. */
  changes?: CodeChange[];
  /** The test cases replayed on the changed code (stale: some failed). */
  tests?: CaseOutcome[];
}

export interface StoredWorkflow {
  /** Absolute path of the file. */
  file: string;
  workflow: WorkflowFile;
  /** Re-verifications of this workflow on changed code, newest first (see VerificationRecord). */
  verifications?: VerificationRecord[];
}
