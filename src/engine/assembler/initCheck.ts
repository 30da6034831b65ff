import { workflowError, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import type { InitCheckResult } from "../workflow/types";
import type { PlanningContext } from "./planningContext";
import { CHECK_FORMAT, checkMessages } from "./prompts";

/** How often one vote is asked again when its answer cannot be read. */
const UNREADABLE_RETRIES = 2;

function readVerdict(data: unknown): { decision: boolean; justification: string } | string {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return "the answer is not a JSON object";
  const { decision, justification } = data as Record<string, unknown>;
  const verdict =
    typeof decision === "boolean" ? decision : decision === "true" ? true : decision === "false" ? false : undefined;
  if (verdict === undefined) return 'the answer has no boolean "decision"';
  return { decision: verdict, justification: typeof justification === "string" ? justification : "" };
}

async function vote(
  context: PlanningContext,
): Promise<Result<{ decision: boolean; justification: string }, WorkflowError>> {
  const messages = checkMessages(context.prefix);
  let problem = "";
  for (let attempt = 1; attempt <= 1 + UNREADABLE_RETRIES; attempt += 1) {
    const answer = await context.ask("check", messages, CHECK_FORMAT);
    if (!answer.ok) return answer;
    const call = answer.value.call;
    const verdict = answer.value.ok ? readVerdict(answer.value.data) : answer.value.problem;
    if (typeof verdict !== "string") {
      context.record({ stage: "check", attempt, ok: true, ...call, verdict });
      return ok(verdict);
    }
    problem = verdict;
    context.record({ stage: "check", attempt, ok: false, ...call, note: `Unreadable answer: ${verdict}` });
  }
  return err(
    workflowError("LLM_BAD_RESPONSE", "init_check", `The model gave no readable feasibility verdict: ${problem}.`),
  );
}

/**
 * Asks whether the tools can produce the output at all. Several votes run in parallel and a
 * single positive one wins (planning then proves or disproves it; a wrong refusal would end it for
 * good); a refusal ends planning with its justification.
 */
export async function runInitCheck(context: PlanningContext): Promise<Result<InitCheckResult, WorkflowError>> {
  const votes = context.config.checkVotes;
  context.emit({
    stage: "check",
    status: "start",
    message: `Checking feasibility (${votes} vote${votes === 1 ? "" : "s"})`,
  });
  const results = await Promise.all(Array.from({ length: votes }, () => vote(context)));
  const fatal = results.find((r) => !r.ok);
  const verdicts = results.flatMap((r) => (r.ok ? [r.value] : []));
  if (verdicts.length === 0 && fatal && !fatal.ok) {
    context.emit({ stage: "check", status: "error", message: fatal.error.message, error: fatal.error });
    return fatal;
  }
  const positive = verdicts.find((v) => v.decision);
  const chosen = positive ?? verdicts[0];
  if (!chosen) return err(workflowError("LLM_BAD_RESPONSE", "init_check", "The model gave no feasibility verdict."));
  const result: InitCheckResult = {
    decision: chosen.decision,
    justification: chosen.justification,
    votes: verdicts.length,
  };
  if (!result.decision) {
    const error = workflowError(
      "INIT_CHECK",
      "init_check",
      `The model judged the task impossible with these tools: ${result.justification || "no justification given"}`,
      { justification: result.justification },
    );
    context.emit({ stage: "check", status: "error", message: error.message, error });
    return ok(result);
  }
  context.emit({ stage: "check", status: "ok", message: `Feasible: ${result.justification}` });
  return ok(result);
}
