import { cancelledError, describeUnknown, type WorkflowError } from "../errors";
import { silentLogger, type Logger } from "../logger";
import { err, ok, type Result } from "../result";
import { promptCharsOf, type ChatRequest, type ChatResponse, type LlmClient } from "./llmClient";
import {
  badResponseError,
  fetchWithSignal,
  httpError,
  modelNotFoundError,
  startCallDeadline,
  transportError,
  type BackendIdentity,
  type CallDeadline,
} from "./llmErrors";
import { countOf, type LlmUsage } from "../llmUsage";
import { splitInlineThinking } from "./thinking";

export interface OpenAiClientOptions {
  /** The API root including its version, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  logger?: Logger;
}

/** Listing models is a quick metadata call; it must not hang a caller that passed no signal. */
const LIST_MODELS_TIMEOUT_MS = 10_000;

/** An HTTP answer read in full, before it is judged. */
interface RawAnswer {
  status: number;
  text: string;
}

/** The `error.message` (and `error.code`) of an OpenAI-style error body, else the raw text. */
function errorTextOf(body: string): { message: string; code: string | undefined } {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = (parsed as { error?: unknown } | null)?.error;
    if (typeof error === "string") return { message: error, code: undefined };
    if (typeof error === "object" && error !== null) {
      const { message, code } = error as { message?: unknown; code?: unknown };
      return {
        message: typeof message === "string" ? message : body,
        code: typeof code === "string" ? code : undefined,
      };
    }
  } catch {
    // Not JSON: the raw text is the best description there is.
  }
  return { message: body, code: undefined };
}

/** Servers spell this differently: OpenAI uses code `model_not_found`, Ollama and vLLM say it in the message. */
function isModelNotFound(status: number, body: string): boolean {
  const { message, code } = errorTextOf(body);
  if (code === "model_not_found") return true;
  return (status === 404 || status === 400) && /model/i.test(message) && /(not found|does not exist)/i.test(message);
}

export function createOpenAiClient(options: OpenAiClientOptions): LlmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const model = options.model;
  const logger = options.logger ?? silentLogger;
  const backend: BackendIdentity = {
    label: "The OpenAI-compatible endpoint",
    url: baseUrl,
    model,
    unreachableHint: "Start the server or correct the endpoint's base URL in the LLM configuration.",
  };
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json",
    ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
  };

  async function send(path: string, deadline: CallDeadline, body?: unknown): Promise<RawAnswer> {
    const response = await fetchWithSignal(deadline.signal)(`${baseUrl}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text() };
  }

  function parseBody(answer: RawAnswer): Result<unknown, WorkflowError> {
    if (answer.text.trim() === "") return err(badResponseError(backend, "the body is empty"));
    try {
      return ok(JSON.parse(answer.text) as unknown);
    } catch (error) {
      return err(badResponseError(backend, `the body is not JSON (${describeUnknown(error)})`));
    }
  }

  async function listModels(
    signal?: AbortSignal,
    timeoutMs = LIST_MODELS_TIMEOUT_MS,
  ): Promise<Result<string[], WorkflowError>> {
    if (signal?.aborted) return err(cancelledError("llm"));
    const deadline = startCallDeadline(signal, timeoutMs);
    try {
      const answer = await send("/models", deadline);
      if (answer.status < 200 || answer.status >= 300)
        return err(httpError(backend, answer.status, errorTextOf(answer.text).message));
      const parsed = parseBody(answer);
      if (!parsed.ok) return parsed;
      const data = (parsed.value as { data?: unknown } | null)?.data;
      if (!Array.isArray(data)) return err(badResponseError(backend, "/models did not return a `data` list"));
      return ok(data.map((entry: { id?: unknown }) => String(entry?.id ?? "")).filter((id) => id !== ""));
    } catch (error) {
      return err(transportError(error, deadline, backend) ?? badResponseError(backend, describeUnknown(error)));
    } finally {
      deadline.dispose();
    }
  }

  /** The answer's content, reasoning (`reasoning_content` in vLLM and DeepSeek, `reasoning` in Ollama's and others') and usage. */
  async function judgeChatAnswer(
    answer: RawAnswer,
    deadline: CallDeadline,
    signal?: AbortSignal,
  ): Promise<Result<{ content: string; reasoning: string; usage: Omit<LlmUsage, "totalMs"> }, WorkflowError>> {
    if (answer.status < 200 || answer.status >= 300) {
      if (isModelNotFound(answer.status, answer.text)) {
        // Within the call's own time limit, not a fixed one of its own.
        const limit = deadline.timeoutMs ?? LIST_MODELS_TIMEOUT_MS;
        const available = await listModels(signal, limit);
        return err(
          modelNotFoundError(
            backend,
            available.ok ? available.value : undefined,
            "Load or download it on that server, or configure one of the models it serves.",
            available.ok
              ? undefined
              : available.error.kind === "LLM_TIMEOUT"
                ? `no answer within ${limit} ms`
                : available.error.kind,
          ),
        );
      }
      return err(httpError(backend, answer.status, errorTextOf(answer.text).message));
    }
    const parsed = parseBody(answer);
    if (!parsed.ok) return parsed;
    const choices = (parsed.value as { choices?: unknown } | null)?.choices;
    const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
    const message = (
      first as { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown } } | undefined
    )?.message;
    const content = message?.content;
    if (typeof content !== "string")
      return err(badResponseError(backend, "the answer has no choices[0].message.content"));
    const reasoning =
      [message?.reasoning_content, message?.reasoning].find((r): r is string => typeof r === "string") ?? "";
    const reported = (parsed.value as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } } | null)
      ?.usage;
    const promptTokens = countOf(reported?.prompt_tokens);
    const answerTokens = countOf(reported?.completion_tokens);
    return ok({
      content,
      reasoning,
      usage: {
        ...(promptTokens === undefined ? {} : { promptTokens }),
        ...(answerTokens === undefined ? {} : { answerTokens }),
      },
    });
  }

  async function chat(request: ChatRequest): Promise<Result<ChatResponse, WorkflowError>> {
    if (request.signal?.aborted) return err(cancelledError("llm"));
    const promptChars = promptCharsOf(request.messages);
    const deadline = startCallDeadline(request.signal, request.timeoutMs);
    const started = Date.now();
    try {
      const answer = await send("/chat/completions", deadline, {
        model,
        messages: request.messages,
        temperature: 0,
        stream: false,
        ...(request.format
          ? {
              response_format: {
                type: "json_schema",
                json_schema: { name: request.purpose, schema: request.format, strict: false },
              },
            }
          : {}),
      });
      const judged = await judgeChatAnswer(answer, deadline, request.signal);
      if (!judged.ok) {
        logger.debug(
          `openai ${request.purpose} failed after ${Date.now() - started} ms: ${judged.error.kind} ${judged.error.message}`,
        );
        return judged;
      }
      const inline = splitInlineThinking(judged.value.content);
      const thinking = [judged.value.reasoning.trim(), inline.thinking].filter((t) => t !== "").join("\n\n");
      const usage: LlmUsage = { ...judged.value.usage, totalMs: Date.now() - started };
      logger.debug(
        `openai ${request.purpose}: ${promptChars} prompt chars, ${inline.answer.length} answer chars, ${usage.totalMs} ms`,
      );
      return ok({ content: inline.answer, promptChars, usage, ...(thinking === "" ? {} : { thinking }) });
    } catch (error) {
      const failure = transportError(error, deadline, backend) ?? badResponseError(backend, describeUnknown(error));
      logger.debug(
        `openai ${request.purpose} failed after ${Date.now() - started} ms: ${failure.kind} ${failure.message}`,
      );
      return err(failure);
    } finally {
      deadline.dispose();
    }
  }

  return { description: `openai ${baseUrl} ${model}`, model, chat, listModels };
}
