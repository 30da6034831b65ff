import { workflowError, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import type { ChatMessage } from "./llmClient";

/**
 * Context sizing for Ollama. Nothing here tokenizes: the estimate is deliberately generous
 * (3 characters per token where Llama- and Qwen-family tokenizers average about 4 on this
 * kind of text), so a prompt sized from it is never cut by the server.
 */
const CHARS_PER_TOKEN = 3;
/** Chat-template tokens around each message (role markers, separators). */
const TOKENS_PER_MESSAGE = 8;
/** Room kept for the answer: a plan of a dozen steps fits with margin. */
export const ANSWER_ROOM_TOKENS = 2048;
/** Extra room when the model thinks before answering: reasoning counts against the same window. */
export const THINKING_ROOM_TOKENS = 4096;
/**
 * The only sizes ever requested. Ollama reloads a model whenever `num_ctx` changes, so calls
 * of one planning land on the same few values instead of one per prompt length.
 */
export const CONTEXT_SIZES = [2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144] as const;

export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The characters that many tokens hold, by the same estimate. */
export function charsForTokens(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (total, message) => total + TOKENS_PER_MESSAGE + estimateTextTokens(message.content.length),
    0,
  );
}

export interface ContextNeed {
  purpose: string;
  model: string;
  promptTokens: number;
  answerTokens: number;
  /** The model's own context length (`/api/show`), when known. */
  modelLimit: number | undefined;
  /** A context size the user set (`contextTokens`): used as is instead of the computed size. */
  override: number | undefined;
  /** The size an earlier call of this client used; never shrunk below, so the model is not reloaded. */
  previous: number | undefined;
}

/** The `num_ctx` for a request, or LLM_CONTEXT when the prompt and its answer cannot fit. */
export function chooseContextSize(need: ContextNeed): Result<number, WorkflowError> {
  const needed = need.promptTokens + need.answerTokens;
  if (need.override !== undefined) {
    return needed <= need.override ? ok(need.override) : err(contextError(need, need.override, "override"));
  }
  const limit = need.modelLimit ?? Number.POSITIVE_INFINITY;
  if (needed > limit) return err(contextError(need, limit, "model"));
  const rounded = CONTEXT_SIZES.find((size) => size >= Math.max(needed, need.previous ?? 0)) ?? needed;
  return ok(Math.min(rounded, limit));
}

function contextError(need: ContextNeed, limit: number, cause: "model" | "override"): WorkflowError {
  const needed = need.promptTokens + need.answerTokens;
  const where =
    cause === "model"
      ? `model ${need.model} takes at most ${limit} tokens (its context length)`
      : `the context size is set to ${limit} tokens (llmFunction.ollama.contextTokens / config llm.contextTokens)`;
  return workflowError(
    "LLM_CONTEXT",
    "llm",
    `The ${need.purpose} prompt needs about ${needed} tokens (${need.promptTokens} for the prompt, ${need.answerTokens} kept for the answer), ` +
      `but ${where}. Lower the prompt budget (llmFunction.planning.promptBudgetTokens) so fewer tools are shown, ` +
      `${cause === "override" ? "raise or clear the context size setting, " : ""}or use a model with a longer context.`,
    {
      neededTokens: needed,
      promptTokens: need.promptTokens,
      answerTokens: need.answerTokens,
      limitTokens: limit,
      limitFrom: cause,
      model: need.model,
    },
  );
}

/**
 * True when the server evaluated far fewer prompt tokens than were sent: it cut the prompt.
 * Ollama counts only the tokens it did not take from its prompt cache, so the part shared
 * with the previous prompt is left out of the comparison.
 */
export function looksCut(evaluatedTokens: number, sentChars: number, cachedChars: number): boolean {
  const fresh = estimateTextTokens(Math.max(0, sentChars - cachedChars));
  return evaluatedTokens < fresh / 2;
}
