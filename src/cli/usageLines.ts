import { describeUsage } from "../engine/llmUsage";
import type { WorkflowFile } from "../engine/workflow/types";

/** One line summing a planning: calls, tokens and model time. */
export function planningUsageLine(workflow: WorkflowFile): string {
  const { stats } = workflow;
  const usage = stats.usage ? `, ${describeUsage(stats.usage)} in LLM calls` : "";
  return `  Planning: ${stats.llmCalls} LLM call${stats.llmCalls === 1 ? "" : "s"}, ${stats.promptChars} prompt characters${usage}, ${stats.durationMs} ms overall`;
}

/** One line per LLM call of a planning: what it was, what it cost, the window it had and the tools it saw. */
export function callUsageLines(workflow: WorkflowFile): string[] {
  return workflow.history.flatMap((record) => {
    if (!record.llm) return [];
    const call = `${record.stage}${record.step === undefined ? "" : ` step ${record.step}`} (loop ${record.loop}, attempt ${record.attempt})`;
    const usage = record.llm.usage ? describeUsage(record.llm.usage) : `${record.llm.promptChars} prompt characters`;
    const window = record.llm.contextTokens === undefined ? "" : `, num_ctx ${record.llm.contextTokens}`;
    const tools = record.tools === undefined ? "" : `, ${record.tools.length} tools shown`;
    const thinking = record.thinking === undefined ? "" : `, thought ${record.thinking.length} characters`;
    const warning = record.llm.warning ? `\n      warning: ${record.llm.warning}` : "";
    return [`    ${call}: ${usage}${window}${tools}${thinking}${warning}`];
  });
}
