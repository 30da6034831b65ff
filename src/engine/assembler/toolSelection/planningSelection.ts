import { charsForTokens } from "../../llm/contextWindow";
import type { WorkflowError } from "../../errors";
import { ok, type Result } from "../../result";
import type { PlanningContext } from "../planningContext";
import { prefixOverheadChars } from "../prompts";
import { selectTools } from "./selectTools";
import { embeddingSimilarity } from "./toolEmbeddings";

/** How often a planning widens its selection after failing for lack of a tool; each doubles the budget. */
export const MAX_WIDENINGS = 2;
/** Room for the call-specific last message (the adaptor's is the longest) within the budget. */
const INSTRUCTION_CHARS = 800;

/** Characters the tool catalog may take, from the prompt budget in tokens. */
export function catalogBudgetChars(context: PlanningContext): number {
  const budget =
    charsForTokens(context.config.promptBudgetTokens) - prefixOverheadChars(context.task) - INSTRUCTION_CHARS;
  return Math.max(0, budget) * 2 ** context.widenings;
}

/**
 * Picks the tools this planning shows (all of them when they fit the prompt budget) and builds
 * the shared prompt prefix from them. Embedding similarity is computed once, when configured and
 * needed; when it fails the ranking stays lexical and the log says why.
 */
export async function showSelectedTools(context: PlanningContext): Promise<Result<void, WorkflowError>> {
  const catalog = context.tools.list();
  const budgetChars = catalogBudgetChars(context);
  const embed = context.llm.embed;
  const model = context.llm.embeddingModel;
  if (context.similarity === undefined && embed && model) {
    const fits = selectTools({ task: context.task, catalog, budgetChars }).complete;
    if (!fits) {
      const similarity = await embeddingSimilarity({
        task: context.task,
        catalog,
        embed,
        model,
        storagePath: context.config.storagePath,
        timeoutMs: context.config.llmTimeoutMs,
        logger: context.logger,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      if (!similarity.ok && similarity.error.kind === "CANCELLED") return similarity;
      if (similarity.ok) context.similarity = similarity.value;
      else context.logger.warn(`${context.spec.name}: tool selection without embeddings: ${similarity.error.message}`);
    }
  }
  const selection = selectTools({
    task: context.task,
    catalog,
    budgetChars,
    ...(context.similarity ? { similarity: context.similarity } : {}),
  });
  context.selectionComplete = selection.complete;
  context.show(selection.tools);
  if (!selection.complete) {
    context.logger.info(
      `${context.spec.name}: showing ${selection.tools.length} of ${catalog.length} tools (prompt budget ${context.config.promptBudgetTokens} tokens${context.widenings > 0 ? `, widened ${context.widenings}×` : ""}).`,
    );
  }
  return ok(undefined);
}

/** Shows more tools after a failure for lack of one; false when everything is shown or the widenings are spent. */
export async function widenSelection(context: PlanningContext): Promise<Result<boolean, WorkflowError>> {
  if (context.selectionComplete || context.widenings >= MAX_WIDENINGS) return ok(false);
  context.widenings += 1;
  const shown = await showSelectedTools(context);
  return shown.ok ? ok(true) : shown;
}
