import type { VerifyResult, VerifyStatus } from "../../engine/verifyResult";
import { describeDiffs } from "../../engine/workflow/describeDiffs";
import type { DiscoveredFunction, SourceLocation } from "../../workspace/workspaceTypes";

/** One Problems entry of Verify Workflows, as plain data (the adapter makes a vscode.Diagnostic). */
export interface VerifyProblem {
  location: SourceLocation;
  severity: "error" | "warning";
  message: string;
}

/** How a verify status reads next to a function (views) and in a summary. */
export function verifyLabel(status: VerifyStatus): string {
  return status.replace(/_/g, " ");
}

/**
 * A Problems entry at the declaration of each function that did not pass: a failed test or a
 * stale workflow is an error (it would fail `llmfn verify` in CI whatever its flags), the rest
 * are warnings. Each failing test case is its own entry, with its output diff.
 */
export function verifyProblems(
  results: readonly VerifyResult[],
  functions: readonly DiscoveredFunction[],
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const result of results) {
    const fn = functions.find((f) => f.name === result.function);
    if (!fn || result.status === "passed") continue;
    const severity = result.status === "failed" || result.status === "stale" ? "error" : "warning";
    const failing = result.tests.filter((t) => !t.ok);
    if (result.status === "failed" && failing.length > 0) {
      for (const test of failing) {
        const how = test.error ? test.error.message : describeDiffs(test.diffs ?? []);
        problems.push({
          location: fn.location,
          severity,
          message: `${result.function}: verify failed on ${test.label} ${JSON.stringify(test.input)}: ${how}`,
        });
      }
      continue;
    }
    problems.push({
      location: fn.location,
      severity,
      message: `${result.function}: verify ${verifyLabel(result.status)}: ${result.reason ?? ""}`,
    });
  }
  return problems;
}
