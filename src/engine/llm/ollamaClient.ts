import { Ollama } from "ollama";
import { cancelledError, describeUnknown, type WorkflowError } from "../errors";
import { DEFAULT_KEEP_ALIVE } from "../config";
import { silentLogger, type Logger } from "../logger";
import { err, ok, type Result } from "../result";
import {
  ANSWER_ROOM_TOKENS,
  THINKING_ROOM_TOKENS,
  chooseContextSize,
  estimatePromptTokens,
  looksCut,
} from "./contextWindow";
import {
  promptCharsOf,
  type ChatMessage,
  type ChatRequest,
  type ChatResponse,
  type ContextFit,
  type EmbedRequest,
  type LlmClient,
} from "./llmClient";
import {
  badResponseError,
  fetchRejectingHttpErrors,
  httpError,
  HttpStatusError,
  modelNotFoundError,
  startCallDeadline,
  transportError,
  type BackendIdentity,
  type CallDeadline,
} from "./llmErrors";
import { countOf, nanosToMs, type LlmUsage } from "../llmUsage";
import { contextLengthOf } from "./ollamaModels";
import { ollamaThinkValue, splitInlineThinking, type ThinkMode } from "./thinking";

export interface OllamaClientOptions {
  /** e.g. `http://127.0.0.1:11434` (the `llmFunction.ollama.host` setting). */
  host: string;
  model: string;
  logger?: Logger;
  /** A fixed `num_ctx`; by default each request is sized from its prompt. */
  contextTokens?: number;
  /** Ollama `keep_alive` (default DEFAULT_KEEP_ALIVE). */
  keepAlive?: string | number;
  /** Ollama `think` (default "off"). */
  think?: ThinkMode;
  /** An embedding model for tool selection (`/api/embed`). */
  embeddingModel?: string;
}

/** The characters two prompts share from their start: what Ollama's prompt cache can reuse. */
function sharedPrefixChars(previous: string, next: string): number {
  const limit = Math.min(previous.length, next.length);
  let index = 0;
  while (index < limit && previous.charCodeAt(index) === next.charCodeAt(index)) index += 1;
  return index;
}

function promptTextOf(messages: readonly ChatMessage[]): string {
  return messages.map((message) => `${message.role}\n${message.content}`).join("\n");
}

function usageOf(response: Record<string, unknown>, totalMs: number): LlmUsage {
  const usage: LlmUsage = { totalMs };
  const promptTokens = countOf(response.prompt_eval_count);
  const answerTokens = countOf(response.eval_count);
  const loadMs = nanosToMs(response.load_duration);
  const promptMs = nanosToMs(response.prompt_eval_duration);
  const answerMs = nanosToMs(response.eval_duration);
  if (promptTokens !== undefined) usage.promptTokens = promptTokens;
  if (answerTokens !== undefined) usage.answerTokens = answerTokens;
  if (loadMs !== undefined) usage.loadMs = loadMs;
  if (promptMs !== undefined) usage.promptMs = promptMs;
  if (answerMs !== undefined) usage.answerMs = answerMs;
  return usage;
}

/** Listing models is a quick metadata call; it must not hang a caller that passed no signal. */
const LIST_MODELS_TIMEOUT_MS = 10_000;

/** Ollama's own words for an unknown model (`model "x" not found, try pulling it first`), not any 404 that says "not found". */
const MODEL_NOT_FOUND = /\bmodel\b.*\bnot found\b/i;

/** What the `ollama` client throws for a non-2xx answer (the class itself is not exported). */
interface OllamaResponseError {
  name: "ResponseError";
  error: string;
  status_code: number;
}

function isOllamaResponseError(error: unknown): error is OllamaResponseError {
  return (
    error instanceof Error &&
    error.name === "ResponseError" &&
    typeof (error as Partial<OllamaResponseError>).status_code === "number"
  );
}

export function createOllamaClient(options: OllamaClientOptions): LlmClient {
  const host = options.host.replace(/\/+$/, "");
  const model = options.model;
  const logger = options.logger ?? silentLogger;
  const think = options.think ?? "off";
  const keepAlive = options.keepAlive ?? DEFAULT_KEEP_ALIVE;
  const backend: BackendIdentity = {
    label: "Ollama",
    url: host,
    model,
    unreachableHint: "Start Ollama (`ollama serve`) or change the `llmFunction.ollama.host` setting.",
  };

  // A client per call: the `ollama` package only offers a global abort(), so each call gets
  // its own fetch bound to that call's signal instead.
  const ollamaFor = (deadline: CallDeadline) => new Ollama({ host, fetch: fetchRejectingHttpErrors(deadline.signal) });

  async function listModels(
    signal?: AbortSignal,
    timeoutMs = LIST_MODELS_TIMEOUT_MS,
  ): Promise<Result<string[], WorkflowError>> {
    if (signal?.aborted) return err(cancelledError("llm"));
    const deadline = startCallDeadline(signal, timeoutMs);
    try {
      const listing: unknown = await ollamaFor(deadline).list();
      const models = (listing as { models?: unknown } | null)?.models;
      if (!Array.isArray(models)) return err(badResponseError(backend, "/api/tags did not return a model list"));
      return ok(models.map((entry: { name?: unknown }) => String(entry?.name ?? "")).filter((name) => name !== ""));
    } catch (error) {
      return err(transportError(error, deadline, backend) ?? answerError(error));
    } finally {
      deadline.dispose();
    }
  }

  /** Maps an error thrown after the host answered (HTTP status, body that is not JSON, ...). */
  function answerError(error: unknown): WorkflowError {
    if (error instanceof HttpStatusError) return httpError(backend, error.status, error.errorText ?? error.bodySnippet);
    if (isOllamaResponseError(error)) return httpError(backend, error.status_code, error.error);
    if (error instanceof SyntaxError) return badResponseError(backend, `the body is not JSON (${error.message})`);
    return badResponseError(backend, describeUnknown(error));
  }

  async function chatFailure(error: unknown, deadline: CallDeadline, signal?: AbortSignal): Promise<WorkflowError> {
    const transport = transportError(error, deadline, backend);
    if (transport) return transport;
    if (error instanceof HttpStatusError && error.status === 404 && MODEL_NOT_FOUND.test(error.errorText ?? "")) {
      // Within the call's own time limit, not a fixed one of its own.
      const limit = deadline.timeoutMs ?? LIST_MODELS_TIMEOUT_MS;
      const available = await listModels(signal, limit);
      return modelNotFoundError(
        backend,
        available.ok ? available.value : undefined,
        `It is not pulled on that host: run \`ollama pull ${model}\` there, or choose another model in the \`llmFunction.ollama.model\` setting.`,
        available.ok
          ? undefined
          : available.error.kind === "LLM_TIMEOUT"
            ? `no answer within ${limit} ms`
            : available.error.kind,
      );
    }
    return answerError(error);
  }

  // The model's context length is read once (`/api/show`); the size used last is kept so that
  // later calls never shrink `num_ctx` (a change makes Ollama reload the model).
  let modelLimit: Promise<Result<number | undefined, WorkflowError>> | undefined;
  let lastContextTokens: number | undefined;
  let lastPrompt = "";

  async function readModelLimit(
    signal?: AbortSignal,
    timeoutMs = LIST_MODELS_TIMEOUT_MS,
  ): Promise<Result<number | undefined, WorkflowError>> {
    const deadline = startCallDeadline(signal, timeoutMs);
    try {
      return ok(contextLengthOf(await ollamaFor(deadline).show({ model })));
    } catch (error) {
      return err(await chatFailure(error, deadline, signal));
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The read is shared by the calls that wait for it, but runs under the first one's signal: when
   * that caller cancels, the others read again under their own. Any other failure is theirs too.
   */
  async function sharedModelLimit(request: ChatRequest): Promise<Result<number | undefined, WorkflowError>> {
    for (;;) {
      const reading = (modelLimit ??= readModelLimit(request.signal, request.timeoutMs));
      const limit = await reading;
      if (limit.ok) return limit;
      // A failed read (unreachable, cancelled) is tried again by the next call.
      if (modelLimit === reading) modelLimit = undefined;
      if (limit.error.kind !== "CANCELLED" || request.signal?.aborted) return limit;
    }
  }

  async function contextFor(
    request: ChatRequest,
  ): Promise<Result<{ contextTokens: number; estimated: number }, WorkflowError>> {
    const limit = await sharedModelLimit(request);
    if (!limit.ok) return limit;
    const estimated = estimatePromptTokens(request.messages);
    const size = chooseContextSize({
      purpose: request.purpose,
      model,
      promptTokens: estimated,
      answerTokens: ANSWER_ROOM_TOKENS + (think === "off" ? 0 : THINKING_ROOM_TOKENS),
      modelLimit: limit.value,
      override: options.contextTokens,
      previous: lastContextTokens,
    });
    if (!size.ok) return size;
    lastContextTokens = size.value;
    return ok({ contextTokens: size.value, estimated });
  }

  async function chat(request: ChatRequest): Promise<Result<ChatResponse, WorkflowError>> {
    if (request.signal?.aborted) return err(cancelledError("llm"));
    const promptChars = promptCharsOf(request.messages);
    const sized = await contextFor(request);
    if (!sized.ok) {
      logger.warn(`ollama ${request.purpose}: ${sized.error.message}`);
      return sized;
    }
    const promptText = promptTextOf(request.messages);
    const cachedChars = sharedPrefixChars(lastPrompt, promptText);
    lastPrompt = promptText;
    const deadline = startCallDeadline(request.signal, request.timeoutMs);
    const started = Date.now();
    try {
      const response: unknown = await ollamaFor(deadline).chat({
        model,
        messages: request.messages,
        stream: false,
        keep_alive: keepAlive,
        think: ollamaThinkValue(think),
        ...(request.format ? { format: request.format } : {}),
        options: { temperature: 0, num_ctx: sized.value.contextTokens },
      });
      const message = (response as { message?: { content?: unknown; thinking?: unknown } } | null)?.message;
      if (typeof message?.content !== "string")
        return err(badResponseError(backend, "the answer has no message content"));
      const inline = splitInlineThinking(message.content);
      const thinking = [typeof message.thinking === "string" ? message.thinking.trim() : "", inline.thinking]
        .filter((t) => t !== "")
        .join("\n\n");
      const usage = usageOf(response as Record<string, unknown>, Date.now() - started);
      const context: ContextFit = {
        contextTokens: sized.value.contextTokens,
        estimatedPromptTokens: sized.value.estimated,
      };
      if (usage.promptTokens !== undefined && looksCut(usage.promptTokens, promptText.length, cachedChars)) {
        context.warning =
          `Ollama evaluated only ${usage.promptTokens} prompt tokens of about ${sized.value.estimated} sent (num_ctx ${sized.value.contextTokens}): ` +
          "the start of the prompt was probably cut, so the model did not see the whole task and tool list. Check that the host honours num_ctx.";
        logger.warn(`ollama ${request.purpose}: ${context.warning}`);
      }
      logger.debug(
        `ollama ${request.purpose}: ${promptChars} prompt chars, ${inline.answer.length} answer chars, num_ctx ${sized.value.contextTokens}, ` +
          `${usage.promptTokens ?? "?"} prompt + ${usage.answerTokens ?? "?"} answer tokens, ${usage.totalMs} ms`,
      );
      return ok({ content: inline.answer, promptChars, usage, context, ...(thinking === "" ? {} : { thinking }) });
    } catch (error) {
      const failure = await chatFailure(error, deadline, request.signal);
      logger.debug(
        `ollama ${request.purpose} failed after ${Date.now() - started} ms: ${failure.kind} ${failure.message}`,
      );
      return err(failure);
    } finally {
      deadline.dispose();
    }
  }

  const embeddingModel = options.embeddingModel;
  async function embed({ texts, signal, timeoutMs }: EmbedRequest): Promise<Result<number[][], WorkflowError>> {
    if (signal?.aborted) return err(cancelledError("llm"));
    const deadline = startCallDeadline(signal, timeoutMs);
    const embedBackend = { ...backend, model: embeddingModel ?? "" };
    try {
      const response: unknown = await ollamaFor(deadline).embed({
        model: embeddingModel ?? "",
        input: texts,
        keep_alive: keepAlive,
      });
      const embeddings = (response as { embeddings?: unknown } | null)?.embeddings;
      if (
        !Array.isArray(embeddings) ||
        embeddings.length !== texts.length ||
        !embeddings.every((v) => Array.isArray(v) && v.every((x) => typeof x === "number"))
      ) {
        return err(badResponseError(embedBackend, "/api/embed did not return one vector per text"));
      }
      return ok(embeddings as number[][]);
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404 && MODEL_NOT_FOUND.test(error.errorText ?? "")) {
        return err(
          modelNotFoundError(
            embedBackend,
            undefined,
            `Pull it there (\`ollama pull ${embeddingModel}\`) or clear the embedding model setting.`,
          ),
        );
      }
      return err(transportError(error, deadline, embedBackend) ?? answerError(error));
    } finally {
      deadline.dispose();
    }
  }

  return {
    description: `ollama ${host} ${model}`,
    model,
    chat,
    listModels,
    ...(embeddingModel === undefined ? {} : { embeddingModel, embed }),
  };
}
