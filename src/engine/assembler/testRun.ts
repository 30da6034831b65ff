import { workflowError, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import { aggregateTestErrors } from "../workflow/compareOutputs";
import { replayTests } from "../workflow/replayTests";
import { compileWorkflow } from "../workflow/runWorkflow";
import type { OutputDiff, WorkflowStep } from "../workflow/types";
import type { PlanningContext } from "./planningContext";

/**
 * Runs a freshly adapted workflow on the function's test cases, as a batch: every case runs and
 * their errors are aggregated, so one answer tells the planner about all of them.
 */
export async function runTestCases(
  context: PlanningContext,
  steps: WorkflowStep[],
  attempt: number,
): Promise<Result<void, WorkflowError>> {
  const cases = context.spec.tests;
  if (cases.length === 0) return ok(undefined);
  context.emit({
    stage: "test",
    status: "start",
    loop: context.loop,
    attempt,
    message: `Testing on ${cases.length} case${cases.length === 1 ? "" : "s"}`,
  });
  const compiled = compileWorkflow(steps, context.tools);
  const errors: WorkflowError[] = [];
  const diffs: OutputDiff[] = [];
  if (!compiled.ok) {
    errors.push(compiled.error);
  } else {
    const compare = { ...context.config.compare, ...context.spec.compare };
    const replayed = await replayTests(compiled.value, context.spec, {
      compare,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    if (!replayed.ok) {
      if (replayed.error.kind !== "CANCELLED")
        context.record({ stage: "test", attempt, ok: false, error: replayed.error });
      return err(replayed.error);
    }
    for (const outcome of replayed.value) {
      if (outcome.error) errors.push(outcome.error);
      if (!outcome.diffs) continue;
      diffs.push(...outcome.diffs);
      errors.push(
        workflowError(
          "OUTPUTS_UNEXPECTED",
          "test",
          `${outcome.label}: ${outcome.diffs.length} output field${outcome.diffs.length === 1 ? "" : "s"} differ from the expected output.`,
          { diffs: outcome.diffs },
        ),
      );
    }
  }
  if (errors.length === 0) {
    context.record({
      stage: "test",
      attempt,
      ok: true,
      note: `${cases.length} case${cases.length === 1 ? "" : "s"} passed`,
    });
    context.emit({ stage: "test", status: "ok", loop: context.loop, attempt, message: "Tests passed" });
    return ok(undefined);
  }
  const single = errors.length === 1 ? (errors[0] as WorkflowError) : aggregateTestErrors(errors);
  const error = diffs.length > 0 ? { ...single, details: { ...single.details, diffs } } : single;
  context.record({ stage: "test", attempt, ok: false, error, ...(diffs.length > 0 ? { diffs } : {}) });
  context.emit({ stage: "test", status: "error", loop: context.loop, attempt, message: error.message, error });
  return err(error);
}
