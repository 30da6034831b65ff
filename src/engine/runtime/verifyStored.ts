import type { CompareOptions } from "../config";
import type { WorkflowError } from "../errors";
import type { FunctionSpec } from "../functionSpec";
import { err, ok, type Result } from "../result";
import type { StoredWorkflow } from "../runtimeTypes";
import type { ToolRegistry } from "../toolRegistry";
import { codeChanges, describeCodeChange } from "../workflow/codeRecord";
import { describeFailedCase, replayTests } from "../workflow/replayTests";
import { compileWorkflow } from "../workflow/runWorkflow";
import { recordedCode } from "./judgeStored";
import type { VerifyResult } from "../verifyResult";

export { VERIFY_STATUSES, type VerifyResult, type VerifyStatus } from "../verifyResult";

/**
 * Replays the newest completed workflow of a function on its test cases, with no LLM and
 * without recording anything: `llmfn verify` and the extension's Verify Workflows use it.
 */
export async function verifyStored(
  stored: readonly StoredWorkflow[],
  spec: FunctionSpec,
  tools: ToolRegistry,
  compare: CompareOptions,
  signal?: AbortSignal,
): Promise<Result<VerifyResult, WorkflowError>> {
  const started = performance.now();
  const done = (
    result: Omit<VerifyResult, "function" | "durationMs" | "tests" | "changes"> &
      Partial<Pick<VerifyResult, "tests" | "changes">>,
  ) =>
    ok({ function: spec.name, tests: [], changes: [], ...result, durationMs: Math.round(performance.now() - started) });
  const completed = stored.find((s) => s.workflow.completed);
  if (!completed) {
    const newest = stored[0];
    if (newest && !newest.workflow.planningPossible) {
      return done({
        status: "refused",
        reason: newest.workflow.lastError?.message ?? "The model judged the task impossible with these tools.",
        workflow: ref(newest),
      });
    }
    return done({
      status: "not_planned",
      reason: newest
        ? `No planning completed; the last one failed: ${newest.workflow.lastError?.message ?? "no reason recorded"}`
        : "No workflow is stored.",
      ...(newest ? { workflow: ref(newest) } : {}),
    });
  }
  const workflow = ref(completed);
  const compiled = compileWorkflow(completed.workflow.steps, tools);
  if (!compiled.ok) return done({ status: "stale", reason: compiled.error.message, workflow });
  const changes = codeChanges(recordedCode(completed), completed.workflow.steps, (name) => tools.byName(name));
  const changed = changes.length > 0 ? `; code changed: ${changes.map(describeCodeChange).join("; ")}` : "";
  if (spec.tests.length === 0)
    return done({
      status: "unverified",
      reason: `${spec.name} has no test cases to replay${changed}.`,
      workflow,
      changes,
    });
  const replayed = await replayTests(compiled.value, spec, {
    compare: { ...compare, ...spec.compare },
    ...(signal ? { signal } : {}),
  });
  if (!replayed.ok) {
    if (replayed.error.kind === "CANCELLED") return err(replayed.error);
    return done({ status: "failed", reason: replayed.error.message, workflow, changes });
  }
  const failed = replayed.value.filter((outcome) => !outcome.ok);
  if (failed.length === 0) return done({ status: "passed", workflow, tests: replayed.value, changes });
  return done({
    status: "failed",
    reason: `${failed.length} of ${replayed.value.length} test cases fail: ${failed.map(describeFailedCase).join("; ")}${changed}`,
    workflow,
    tests: replayed.value,
    changes,
  });
}

function ref(stored: StoredWorkflow): { id: string; file: string } {
  return { id: stored.workflow.id, file: stored.file };
}
