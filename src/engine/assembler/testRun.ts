import { workflowError, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import { aggregateTestErrors, compareOutputs } from "../workflow/compareOutputs";
import { compileWorkflow } from "../workflow/runWorkflow";
import type { OutputDiff, WorkflowStep } from "../workflow/types";
import type { PlanningContext } from "./planningContext";

/**
 * Runs a freshly adapted workflow on the function's test cases, as a batch: every case runs and
 * their errors are aggregated, so one answer tells the planner about all of them.
 */
export async function runTestCases(context: PlanningContext, steps: WorkflowStep[], attempt: number): Promise<Result<void, WorkflowError>> {
  const cases = context.spec.tests;
  if (cases.length === 0) return ok(undefined);
  context.emit({ stage: "test", status: "start", loop: context.loop, attempt, message: `Testing on ${cases.length} case${cases.length === 1 ? "" : "s"}` });
  const compiled = compileWorkflow(steps, context.tools);
  const errors: WorkflowError[] = [];
  const diffs: OutputDiff[] = [];
  if (!compiled.ok) {
    errors.push(compiled.error);
  } else {
    const compare = { ...context.config.compare, ...context.spec.compare };
    for (const [index, testCase] of cases.entries()) {
      const label = testCase.name ?? `case ${index + 1}`;
      const input = context.spec.validateInput(testCase.input);
      if (!input.ok) {
        const error = workflowError("INPUT_VALIDATION", "test", `Test ${label} has an input that does not match the input schema.`, { issues: input.error });
        context.record({ stage: "test", attempt, ok: false, error });
        return err(error);
      }
      const run = await compiled.value.run(input.value, { validateOutput: context.spec.validateOutput, ...(context.signal ? { signal: context.signal } : {}) });
      if (!run.ok) {
        if (run.error.kind === "CANCELLED") return run;
        errors.push({ ...run.error, stage: "test", message: `${label}: ${run.error.message}` });
        continue;
      }
      if (testCase.expected === undefined) continue;
      const caseDiffs = compareOutputs(testCase.expected, run.value.output, compare, { outputSchema: context.task.outputSchema, steps });
      if (caseDiffs.length > 0) {
        diffs.push(...caseDiffs);
        errors.push(
          workflowError("OUTPUTS_UNEXPECTED", "test", `${label}: ${caseDiffs.length} output field${caseDiffs.length === 1 ? "" : "s"} differ from the expected output.`, {
            diffs: caseDiffs,
          }),
        );
      }
    }
  }
  if (errors.length === 0) {
    context.record({ stage: "test", attempt, ok: true, note: `${cases.length} case${cases.length === 1 ? "" : "s"} passed` });
    context.emit({ stage: "test", status: "ok", loop: context.loop, attempt, message: "Tests passed" });
    return ok(undefined);
  }
  const single = errors.length === 1 ? (errors[0] as WorkflowError) : aggregateTestErrors(errors);
  const error = diffs.length > 0 ? { ...single, details: { ...single.details, diffs } } : single;
  context.record({ stage: "test", attempt, ok: false, error, ...(diffs.length > 0 ? { diffs } : {}) });
  context.emit({ stage: "test", status: "error", loop: context.loop, attempt, message: error.message, error });
  return err(error);
}
