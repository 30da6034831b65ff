import { randomBytes } from "node:crypto";
import { workflowError, type WorkflowError } from "../errors";
import { isPlainObject } from "../json/isPlainObject";
import { formatIssue, type IssueLike } from "../json/validationIssues";
import type { JsonValue } from "../jsonSchema";
import { err, ok, type Result } from "../result";
import { codeRecordOf } from "../workflow/codeRecord";
import type {
  CodeRecord,
  InitCheckResult,
  OutputDiff,
  PlannedStep,
  WorkflowFile,
  WorkflowStep,
} from "../workflow/types";
import { WORKFLOW_FORMAT_VERSION } from "../workflow/types";
import { runInitCheck } from "./initCheck";
import { parsePlan } from "./planParser";
import { isFatal, type PlanningContext } from "./planningContext";
import { planFormat, planMessages } from "./prompts";
import { adaptStep } from "./stepAdaptation";
import { showSelectedTools, widenSelection } from "./toolSelection/planningSelection";
import { runTestCases } from "./testRun";

/** What the loop does next, chosen by the reset table from the last error. */
type Next =
  | { kind: "plan"; feedback?: string; reset?: boolean }
  | { kind: "adapt"; index: number; feedback?: string[] };

/** OUTPUTS_UNEXPECTED errors tolerated before the planner is asked again. */
const MAX_OUTPUT_REPAIRS = 3;

function describeDiff(diff: OutputDiff): string {
  const show = (v: JsonValue | undefined) => (v === undefined ? "nothing" : JSON.stringify(v));
  const source = diff.producedBy ? ` (from step ${diff.producedBy.step}, ${diff.producedBy.tool})` : "";
  return `${diff.path || "output"}: expected ${show(diff.expected)}, got ${show(diff.actual)}${source}`;
}

function diffsOf(error: WorkflowError): OutputDiff[] {
  const diffs = error.details?.diffs;
  return Array.isArray(diffs) ? (diffs as OutputDiff[]) : [];
}

function isIssue(value: unknown): value is IssueLike {
  return isPlainObject(value) && Array.isArray(value.path) && typeof value.message === "string";
}

function issuesText(error: WorkflowError): string[] {
  const issues = error.details?.issues;
  if (!Array.isArray(issues) || !issues.every(isIssue)) return [error.message];
  return issues.map(formatIssue);
}

function stepIndexOf(error: WorkflowError, fallback: number): number {
  const step = error.details?.step;
  return typeof step === "number" && step >= 1 ? step - 1 : fallback;
}

/** The reset table: from a failed test or run to the next action. */
function nextAfter(
  error: WorkflowError,
  plan: PlannedStep[],
  repairs: { count: number; fields: string | undefined },
): Next {
  const outputIndex = plan.length - 1;
  switch (error.kind) {
    case "OUTPUTS_UNEXPECTED": {
      const diffs = diffsOf(error);
      const fields = diffs
        .map((d) => d.path)
        .sort()
        .join(",");
      const repeated = repairs.fields !== undefined && fields === repairs.fields;
      repairs.count += 1;
      repairs.fields = fields;
      const described = diffs.length > 0 ? diffs.slice(0, 20).map(describeDiff) : [error.message];
      if (repeated || repairs.count >= MAX_OUTPUT_REPAIRS) {
        repairs.count = 0;
        repairs.fields = undefined;
        return {
          kind: "plan",
          reset: true,
          feedback: `The output kept differing from the tests: ${described.join("; ")}`,
        };
      }
      return { kind: "adapt", index: outputIndex, feedback: described };
    }
    case "OUTPUTS_FAILURE":
      return { kind: "adapt", index: outputIndex, feedback: issuesText(error) };
    case "ADAPTOR_JSON":
    case "INPUTS":
      return {
        kind: "adapt",
        index: Math.min(stepIndexOf(error, outputIndex), outputIndex),
        feedback: issuesText(error),
      };
    default:
      return { kind: "plan", feedback: error.message };
  }
}

interface LoopOutcome {
  steps: WorkflowStep[];
  completed: boolean;
  lastError: WorkflowError | null;
  retries: number;
  loops: number;
}

/** One planning loop: at most maxRetry attempts from a fresh plan. */
async function planningLoop(
  context: PlanningContext,
): Promise<
  Result<
    { steps: WorkflowStep[]; completed: boolean; lastError: WorkflowError | null; attempts: number },
    WorkflowError
  >
> {
  let plan: PlannedStep[] = [];
  let steps: (WorkflowStep | undefined)[] = [];
  let next: Next = { kind: "plan" };
  let lastError: WorkflowError | null = null;
  const repairs = { count: 0, fields: undefined as string | undefined };
  for (let attempt = 1; attempt <= context.config.maxRetry; attempt += 1) {
    let feedback: { index: number; problems: string[] } | undefined;
    if (next.kind === "plan") {
      context.emit({
        stage: "plan",
        status: "start",
        loop: context.loop,
        attempt,
        message: `Planning (attempt ${attempt})`,
      });
      const answer = await context.ask(
        "plan",
        planMessages(context.prefix, next.feedback),
        // Every catalog tool, not only those shown: a grammar must let a missed real tool be named.
        planFormat(context.tools.list().map((t) => t.name)),
      );
      if (!answer.ok) return answer;
      const call = answer.value.call;
      const parsed = answer.value.ok
        ? parsePlan(
            answer.value.data,
            context.tools,
            context.shownTools.map((t) => t.name),
          )
        : err(workflowError("PLANNING_JSON", "plan", `The plan is not valid JSON: ${answer.value.problem}.`));
      if (!parsed.ok) {
        lastError = parsed.error;
        context.record({ stage: "plan", attempt, ok: false, ...call, error: parsed.error });
        context.emit({
          stage: "plan",
          status: "error",
          loop: context.loop,
          attempt,
          message: parsed.error.message,
          error: parsed.error,
        });
        next = { kind: "plan", feedback: parsed.error.message };
        // A tool the model wanted but was not shown: the next attempt sees more of the catalog.
        if (parsed.error.kind === "PLANNING_HF") {
          const widened = await widenSelection(context);
          if (!widened.ok) return widened;
        }
        continue;
      }
      plan = parsed.value;
      steps = new Array<WorkflowStep | undefined>(plan.length).fill(undefined);
      context.record({ stage: "plan", attempt, ok: true, ...call, note: plan.map((s) => s.name).join(" → ") });
      context.emit({
        stage: "plan",
        status: "ok",
        loop: context.loop,
        attempt,
        message: `Planned ${plan.length - 1} tool step${plan.length === 2 ? "" : "s"}`,
      });
    } else {
      steps[next.index] = undefined;
      if (next.feedback) feedback = { index: next.index, problems: next.feedback };
    }

    let adaptError: WorkflowError | undefined;
    for (let index = 0; index < plan.length; index += 1) {
      if (steps[index] !== undefined) continue;
      const adapted = await adaptStep(
        context,
        plan,
        index,
        attempt,
        feedback?.index === index ? feedback.problems : undefined,
      );
      if (!adapted.ok) {
        if (isFatal(adapted.error)) return adapted;
        adaptError = adapted.error;
        const remaining = adapted.error.details?.problems;
        next = { kind: "adapt", index, ...(Array.isArray(remaining) ? { feedback: remaining.map(String) } : {}) };
        break;
      }
      steps[index] = adapted.value;
    }
    if (adaptError) {
      lastError = adaptError;
      continue;
    }

    const complete = steps as WorkflowStep[];
    const tested = await runTestCases(context, complete, attempt);
    if (tested.ok) return ok({ steps: complete, completed: true, lastError: null, attempts: attempt });
    if (isFatal(tested.error)) return tested;
    lastError = tested.error;
    next = nextAfter(tested.error, plan, repairs);
    if (next.kind === "plan" && next.reset) {
      const reset = workflowError("PLANNING_RESET", "test", next.feedback ?? tested.error.message, {
        diffs: diffsOf(tested.error),
      });
      context.record({ stage: "test", attempt, ok: false, error: reset });
      lastError = reset;
    }
  }
  return ok({
    steps: steps.filter((s): s is WorkflowStep => s !== undefined),
    completed: false,
    lastError,
    attempts: context.config.maxRetry,
  });
}

async function assemble(context: PlanningContext): Promise<Result<LoopOutcome, WorkflowError>> {
  let retries = 0;
  let last: LoopOutcome = { steps: [], completed: false, lastError: null, retries: 0, loops: 0 };
  for (let loop = 0; loop <= context.config.resetLoops; loop += 1) {
    context.loop = loop;
    const outcome = await planningLoop(context);
    if (!outcome.ok) return outcome;
    retries += outcome.value.attempts;
    last = {
      steps: outcome.value.steps,
      completed: outcome.value.completed,
      lastError: outcome.value.lastError,
      retries,
      loops: loop + 1,
    };
    if (outcome.value.completed) return ok(last);
    context.logger.warn(
      `${context.spec.name}: planning loop ${loop} did not converge (${outcome.value.lastError?.kind ?? "no error"}); starting over.`,
    );
  }
  return ok(last);
}

/**
 * Plans a workflow for one function: init check, then planning loops with the reset table.
 * Returns a workflow file, complete or not (its lastError says why); only a fault of the LLM
 * endpoint or a cancellation is returned as an error, and then nothing should be saved.
 */
export async function planWorkflow(
  context: PlanningContext,
  inputId: string,
): Promise<Result<WorkflowFile, WorkflowError>> {
  const started = performance.now();
  const shown = await showSelectedTools(context);
  if (!shown.ok) return shown;
  let initCheck: InitCheckResult | null = null;
  if (!context.config.skipInitCheck) {
    let checked = await runInitCheck(context);
    // A refusal may only mean the selection missed the tool that does it: ask again with more tools.
    while (checked.ok && !checked.value.decision) {
      const widened = await widenSelection(context);
      if (!widened.ok) return widened;
      if (!widened.value) break;
      checked = await runInitCheck(context);
    }
    if (!checked.ok) return checked;
    initCheck = checked.value;
  }
  const refused = initCheck !== null && !initCheck.decision;
  let outcome: LoopOutcome = { steps: [], completed: false, lastError: null, retries: 0, loops: 0 };
  if (refused) {
    outcome.lastError = workflowError(
      "INIT_CHECK",
      "init_check",
      `The model judged the task impossible with these tools: ${initCheck?.justification || "no justification given"}`,
      {
        justification: initCheck?.justification ?? "",
      },
    );
  } else {
    const assembled = await assemble(context);
    if (!assembled.ok) return assembled;
    outcome = assembled.value;
  }
  return ok({
    formatVersion: WORKFLOW_FORMAT_VERSION,
    id: randomBytes(6).toString("hex"),
    inputId,
    savedAt: new Date().toISOString(),
    task: context.task,
    model: context.llm.description,
    initCheck,
    planningPossible: !refused,
    completed: outcome.completed,
    steps: outcome.steps,
    ...codeOf(outcome, context),
    history: context.history,
    lastError: outcome.lastError,
    stats: {
      llmCalls: context.llmCalls,
      promptChars: context.promptChars,
      retries: outcome.retries,
      loops: outcome.loops,
      durationMs: Math.round(performance.now() - started),
      usage: { ...context.usage },
    },
  });
}

/** A completed workflow records the code its tests passed on, to notice later code changes. */
function codeOf(outcome: LoopOutcome, context: PlanningContext): { code?: CodeRecord } {
  if (!outcome.completed) return {};
  const code = codeRecordOf(outcome.steps, (name) => context.tools.byName(name));
  return code ? { code } : {};
}
