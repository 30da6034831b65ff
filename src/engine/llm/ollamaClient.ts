import { Ollama } from "ollama";
import { cancelledError, describeUnknown, type WorkflowError } from "../errors";
import { silentLogger, type Logger } from "../logger";
import { err, ok, type Result } from "../result";
import { promptCharsOf, type ChatRequest, type ChatResponse, type LlmClient } from "./llmClient";
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

export interface OllamaClientOptions {
  /** e.g. `http://127.0.0.1:11434` (the `llmFunction.ollama.host` setting). */
  host: string;
  model: string;
  logger?: Logger;
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
  const backend: BackendIdentity = {
    label: "Ollama",
    url: host,
    model,
    unreachableHint: "Start Ollama (`ollama serve`) or change the `llmFunction.ollama.host` setting.",
  };

  // A client per call: the `ollama` package only offers a global abort(), so each call gets
  // its own fetch bound to that call's signal instead.
  const ollamaFor = (deadline: CallDeadline) => new Ollama({ host, fetch: fetchRejectingHttpErrors(deadline.signal) });

  async function listModels(signal?: AbortSignal, timeoutMs = LIST_MODELS_TIMEOUT_MS): Promise<Result<string[], WorkflowError>> {
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
      const available = await listModels(signal, deadline.timeoutMs);
      return modelNotFoundError(
        backend,
        available.ok ? available.value : undefined,
        `It is not pulled on that host: run \`ollama pull ${model}\` there, or choose another model in the \`llmFunction.ollama.model\` setting.`,
        available.ok ? undefined : available.error.kind === "LLM_TIMEOUT" ? `no answer within ${deadline.timeoutMs} ms` : available.error.kind,
      );
    }
    return answerError(error);
  }

  async function chat(request: ChatRequest): Promise<Result<ChatResponse, WorkflowError>> {
    if (request.signal?.aborted) return err(cancelledError("llm"));
    const promptChars = promptCharsOf(request.messages);
    const deadline = startCallDeadline(request.signal, request.timeoutMs);
    const started = Date.now();
    try {
      const response: unknown = await ollamaFor(deadline).chat({
        model,
        messages: request.messages,
        stream: false,
        ...(request.format ? { format: request.format } : {}),
        options: { temperature: 0 },
      });
      const content = (response as { message?: { content?: unknown } } | null)?.message?.content;
      if (typeof content !== "string") return err(badResponseError(backend, "the answer has no message content"));
      logger.debug(`ollama ${request.purpose}: ${promptChars} prompt chars, ${content.length} answer chars, ${Date.now() - started} ms`);
      return ok({ content, promptChars });
    } catch (error) {
      const failure = await chatFailure(error, deadline, request.signal);
      logger.debug(`ollama ${request.purpose} failed after ${Date.now() - started} ms: ${failure.kind} ${failure.message}`);
      return err(failure);
    } finally {
      deadline.dispose();
    }
  }

  return { description: `ollama ${host} ${model}`, model, chat, listModels };
}
