import type { CodeChange } from "./workflow/codeRecord";
import type { CaseOutcome } from "./workflow/replayTests";

// Types and names only: the extension's activation bundle shows verify results without loading the engine.

/**
 * - passed: the newest completed workflow reproduces every test case;
 * - failed: it runs, but some test case fails (see `tests` for the diffs);
 * - stale: it cannot run: a tool it uses is gone or its contract changed;
 * - unverified: the function has no test case to replay;
 * - not_planned: no completed workflow is stored (never planned, or its plannings failed);
 * - refused: no completed workflow, and the last planning was refused by the init check.
 */
export type VerifyStatus = "passed" | "failed" | "stale" | "unverified" | "not_planned" | "refused";

export const VERIFY_STATUSES: readonly VerifyStatus[] = [
  "passed",
  "failed",
  "stale",
  "unverified",
  "not_planned",
  "refused",
];

export interface VerifyResult {
  function: string;
  status: VerifyStatus;
  /** Why, for anything but passed: the failing tests, the changed tool, the refusal. */
  reason?: string;
  /** The workflow replayed (or judged). */
  workflow?: { id: string; file: string };
  /** Every test case replayed, with the diffs of those that failed. */
  tests: CaseOutcome[];
  /** Tools whose code changed since the workflow was planned or last re-verified (for information: the tests decide). */
  changes: CodeChange[];
  durationMs: number;
}
