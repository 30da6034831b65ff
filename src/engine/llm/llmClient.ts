import type { WorkflowError } from "../errors";
import type { JsonSchema } from "../jsonSchema";
import type { Result } from "../result";
import type { LlmUsage } from "../llmUsage";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Characters sent to the LLM: what prompt-size figures count. */
export function promptCharsOf(messages: readonly ChatMessage[]): number {
  return messages.reduce((total, message) => total + message.content.length, 0);
}

export type LlmPurpose = "check" | "plan" | "adapt";

export interface ChatRequest {
  purpose: LlmPurpose;
  messages: ChatMessage[];
  /** JSON Schema the answer must follow (Ollama `format`, OpenAI `response_format`). */
  format?: JsonSchema;
  signal?: AbortSignal;
  /** Per-call limit; on expiry the call fails with LLM_TIMEOUT. */
  timeoutMs?: number;
}

export interface EmbedRequest {
  texts: string[];
  signal?: AbortSignal;
  /** Per-call limit, as for a chat (the embedding model's loading included); on expiry LLM_TIMEOUT. */
  timeoutMs?: number;
}

/** How the prompt fitted the model's context window (Ollama only: the OpenAI API has no `num_ctx`). */
export interface ContextFit {
  /** The `num_ctx` sent. */
  contextTokens: number;
  estimatedPromptTokens: number;
  /** Set when the server evaluated far fewer tokens than were sent, i.e. it cut the prompt. */
  warning?: string;
}

export interface ChatResponse {
  /** The answer, without any reasoning. */
  content: string;
  promptChars: number;
  /** A reasoning model's thinking, kept apart from the answer (never parsed). */
  thinking?: string;
  usage: LlmUsage;
  context?: ContextFit;
}

/** The one thing the assembler needs of an LLM backend. Failures are values, never throws. */
export interface LlmClient {
  /** e.g. `ollama http://127.0.0.1:11434 qwen3:8b`, for logs and workflow files. */
  readonly description: string;
  readonly model: string;
  chat(request: ChatRequest): Promise<Result<ChatResponse, WorkflowError>>;
  /** The models the endpoint serves, for model pickers and error messages. */
  listModels(signal?: AbortSignal): Promise<Result<string[], WorkflowError>>;
  /** The embedding model, when one is configured; `embed` is there exactly when it is. */
  readonly embeddingModel?: string;
  embed?(request: EmbedRequest): Promise<Result<number[][], WorkflowError>>;
}
