import { workflowError, type WorkflowError } from "../errors";
import { isPlainObject } from "../json/isPlainObject";
import type { JsonSchema } from "../jsonSchema";
import { err, ok, type Result } from "../result";
import { adaptPlannedStep, type AdaptProblem } from "../workflow/adaptPlannedStep";
import { OUTPUT_STEP, type PlannedStep, type StepArg, type WorkflowStep } from "../workflow/types";
import { safeArgs } from "./planParser";
import type { PlanningContext } from "./planningContext";
import { ADAPT_FORMAT, adaptMessages } from "./prompts";

interface StepTarget {
  schema: JsonSchema;
  description: string;
  toolId: string | undefined;
}

function targetOf(context: PlanningContext, step: PlannedStep): StepTarget {
  if (step.name === OUTPUT_STEP) {
    return { schema: context.task.outputSchema, description: "builds the task output", toolId: undefined };
  }
  const tool = context.tools.byName(step.name);
  return { schema: tool?.inputSchema ?? {}, description: tool?.description ?? "", toolId: tool?.id };
}

function earlierOf(context: PlanningContext, plan: readonly PlannedStep[], index: number) {
  return [
    { id: 0, name: "input", outputSchema: context.task.inputSchema },
    ...plan.slice(0, index).map((step, i) => ({
      id: i + 1,
      name: step.name,
      outputSchema: context.tools.byName(step.name)?.outputSchema ?? {},
    })),
  ];
}

function describeProblems(problems: readonly AdaptProblem[]): string[] {
  return problems.map((p) => p.message);
}

function toStep(id: number, planned: PlannedStep, target: StepTarget, args: Record<string, StepArg>): WorkflowStep {
  return target.toolId === undefined
    ? { id, tool: planned.name, args }
    : { id, tool: planned.name, toolId: target.toolId, args };
}

/**
 * Adapts step `index` of a plan. The planner's own args are tried deterministically first; the
 * LLM adaptor is called only when they fail, with the problems found (or `feedback`, when a
 * test or run showed the step to be wrong although it type-checked).
 */
export async function adaptStep(
  context: PlanningContext,
  plan: PlannedStep[],
  index: number,
  attempt: number,
  feedback?: string[],
): Promise<Result<WorkflowStep, WorkflowError>> {
  const planned = plan[index] as PlannedStep;
  const stepId = index + 1;
  const target = targetOf(context, planned);
  const adaptContext = { stepId, earlierSteps: earlierOf(context, plan, index), targetSchema: target.schema };
  context.emit({
    stage: "adapt",
    status: "start",
    step: stepId,
    loop: context.loop,
    attempt,
    message: `Adapting step ${stepId} (${planned.name})`,
  });

  let problems: string[];
  if (feedback === undefined) {
    const direct = adaptPlannedStep(planned, adaptContext);
    if (direct.ok) {
      context.record({ stage: "adapt", attempt, step: stepId, ok: true, note: "planned args valid as written" });
      context.emit({
        stage: "adapt",
        status: "ok",
        step: stepId,
        loop: context.loop,
        attempt,
        message: `Step ${stepId} adapted`,
      });
      return ok(toStep(stepId, planned, target, direct.value));
    }
    problems = describeProblems(direct.error);
  } else {
    problems = feedback;
  }

  const answer = await context.ask(
    "adapt",
    adaptMessages(context.prefix, {
      step: planned,
      stepId,
      targetDescription: target.description,
      targetSchema: target.schema,
      earlier: adaptContext.earlierSteps,
      problems,
    }),
    ADAPT_FORMAT,
  );
  if (!answer.ok) return answer;
  const call = answer.value.call;
  const fail = (message: string, details: Record<string, unknown>): Result<WorkflowStep, WorkflowError> => {
    const error = workflowError("ADAPTOR_JSON", "adapt", `Step ${stepId} (${planned.name}): ${message}`, {
      step: stepId,
      tool: planned.name,
      ...details,
    });
    context.record({ stage: "adapt", attempt, step: stepId, ok: false, ...call, error });
    context.emit({
      stage: "adapt",
      status: "error",
      step: stepId,
      loop: context.loop,
      attempt,
      message: error.message,
      error,
    });
    return err(error);
  };
  if (!answer.value.ok) return fail(`the adaptor's answer is not JSON (${answer.value.problem}).`, { problems });
  const data = answer.value.data;
  const rawArgs = isPlainObject(data) && "args" in data ? data.args : data;
  const args = safeArgs(rawArgs);
  if (!args.ok) return fail(`${args.error}.`, { problems });
  const revised: PlannedStep = { name: planned.name, args: args.value };
  const adapted = adaptPlannedStep(revised, adaptContext);
  if (!adapted.ok) {
    const remaining = describeProblems(adapted.error);
    return fail(remaining.join("; "), { problems: remaining });
  }
  // Later adaptations and replans see the repaired args.
  plan[index] = revised;
  context.record({
    stage: "adapt",
    attempt,
    step: stepId,
    ok: true,
    ...call,
    note: `adaptor fixed: ${problems.join("; ")}`,
  });
  context.emit({
    stage: "adapt",
    status: "ok",
    step: stepId,
    loop: context.loop,
    attempt,
    message: `Step ${stepId} adapted by the LLM`,
  });
  return ok(toStep(stepId, planned, target, adapted.value));
}
