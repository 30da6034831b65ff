import type http from "node:http";
import {
  noResponder,
  normalizeReply,
  readJsonObject,
  recordedMessages,
  sendCutOff,
  sendJson,
  startLoopbackServer,
  type ChatResponder,
  type LoopbackServer,
  type RecordedChat,
} from "./llmScript";

export { purposeOf, queueResponder } from "./llmScript";
export type { ChatResponder, QueueResponder, RecordedChat, ScriptedReply, ScriptPurpose } from "./llmScript";

/** The model a scripted Ollama serves when the test names none. */
export const SCRIPTED_OLLAMA_MODEL = "qwen3:8b";
const OLLAMA_VERSION = "0.12.6";

export interface ScriptedOllamaOptions {
  /** Models the host has pulled (default: [SCRIPTED_OLLAMA_MODEL]); a name without a tag means `:latest`. */
  models?: string[];
  respond?: ChatResponder;
  /** The models' own context length, reported by `/api/show` (default 40960, qwen3's). */
  contextLength?: number;
  /**
   * A window the host uses whatever `num_ctx` says (a proxy that drops options, a server
   * started with a fixed context): prompts are cut to it.
   */
  fixedContext?: number;
  /** Models `/api/pull` can download (then listed with the others). */
  pullable?: string[];
  /** Pause before answering `/api/embed`, e.g. longer than a test's time limit (default 0). */
  embedDelayMs?: number;
  /** Pause between pull progress messages, so a test can cancel mid-download (default 0). */
  pullStepDelayMs?: number;
}

/** Ollama's window when a request sets no `num_ctx`. */
export const OLLAMA_DEFAULT_CONTEXT = 2048;
/** The scripted tokenizer: about 4 characters per token, as Llama- and Qwen-family tokenizers on English. */
const CHARS_PER_TOKEN = 4;
/** Template tokens around each message. */
const TOKENS_PER_MESSAGE = 4;

type Message = { role: string; content: string };

function tokensOf(messages: readonly Message[]): number {
  return messages.reduce((total, m) => total + TOKENS_PER_MESSAGE + Math.ceil(m.content.length / CHARS_PER_TOKEN), 0);
}

/**
 * What the model sees of a prompt in a window of `window` tokens, as Ollama builds it: older
 * non-system messages are dropped from the front (system messages and the last message are
 * kept), then, if it still does not fit, tokens are cut from the front of what is left. No error.
 */
export function fitToWindow(messages: readonly Message[], window: number): { seen: Message[]; cut: boolean } {
  if (tokensOf(messages) <= window) return { seen: [...messages], cut: false };
  const last = messages.length - 1;
  let kept = messages.filter((m, index) => m.role === "system" || index === last);
  for (let start = 0; start < last; start += 1) {
    const candidate = messages.filter((m, index) => index === last || m.role === "system" || index >= start);
    if (tokensOf(candidate) <= window) {
      kept = candidate;
      break;
    }
  }
  let excess = tokensOf(kept) - window;
  const seen: Message[] = [];
  for (const message of kept) {
    if (excess <= 0) {
      seen.push(message);
      continue;
    }
    const tokens = TOKENS_PER_MESSAGE + Math.ceil(message.content.length / CHARS_PER_TOKEN);
    if (tokens <= excess) {
      excess -= tokens;
      continue;
    }
    seen.push({ role: message.role, content: message.content.slice(excess * CHARS_PER_TOKEN) });
    excess = 0;
  }
  return { seen, cut: true };
}

/** A deterministic embedding: hashed word counts, normalized, so texts sharing words lie close. */
export function scriptedEmbedding(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1)) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i += 1) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619) >>> 0;
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((total, v) => total + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** A fake Ollama host speaking the real HTTP API on 127.0.0.1, answering chats from a script. */
export interface ScriptedOllama {
  /** `http://127.0.0.1:PORT`, usable as the Ollama host. */
  readonly url: string;
  /** Every chat request received (including unknown-model and hung ones), in order. */
  readonly requests: RecordedChat[];
  /** Every `/api/embed` request, in order. */
  readonly embedRequests: { model: string; texts: string[] }[];
  /** The models the host has now (pulls add to them). */
  readonly models: string[];
  setResponder(respond: ChatResponder): void;
  /** Stops the server, cutting any request still open. */
  close(): Promise<void>;
}

function withTag(name: string): string {
  return name.includes(":") ? name : `${name}:latest`;
}

function modelEntry(name: string) {
  return {
    name,
    model: name,
    modified_at: "2025-01-01T00:00:00Z",
    size: 5_000_000_000,
    digest: `sha256:${Buffer.from(name).toString("hex").padEnd(64, "0").slice(0, 64)}`,
    details: {
      parent_model: "",
      format: "gguf",
      family: "qwen3",
      families: ["qwen3"],
      parameter_size: "8.2B",
      quantization_level: "Q4_K_M",
    },
  };
}

/** The timing and token fields Ollama adds to a finished answer (durations in nanoseconds). */
function finalMetrics(promptTokens: number, answerChars: number) {
  const answerTokens = Math.ceil(answerChars / CHARS_PER_TOKEN);
  return {
    done_reason: "stop",
    total_duration: 3_000_000 + promptTokens * 20_000 + answerTokens * 50_000,
    load_duration: 2_000_000,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptTokens * 20_000,
    eval_count: answerTokens,
    eval_duration: answerTokens * 50_000,
  };
}

/** Content in a few pieces, as a streaming model sends it. */
function streamPieces(content: string): string[] {
  const size = Math.max(1, Math.ceil(content.length / 4));
  const pieces: string[] = [];
  for (let index = 0; index < content.length; index += size) pieces.push(content.slice(index, index + size));
  return pieces;
}

export async function startScriptedOllama(options: ScriptedOllamaOptions = {}): Promise<ScriptedOllama> {
  const models = (options.models ?? [SCRIPTED_OLLAMA_MODEL]).map(withTag);
  const pullable = new Set((options.pullable ?? []).map(withTag));
  const contextLength = options.contextLength ?? 40960;
  const requests: RecordedChat[] = [];
  let respond = options.respond ?? noResponder;

  const handleChat = async (request: http.IncomingMessage, response: http.ServerResponse, server: LoopbackServer) => {
    const body = await readJsonObject(request);
    if (!body) return sendJson(response, 400, { error: "invalid request body" });
    const model = typeof body.model === "string" ? body.model : "";
    const messages = recordedMessages(body.messages);
    const requestOptions =
      typeof body.options === "object" && body.options !== null ? (body.options as Record<string, unknown>) : {};
    const numCtx = typeof requestOptions.num_ctx === "number" ? requestOptions.num_ctx : OLLAMA_DEFAULT_CONTEXT;
    const fitted = fitToWindow(messages, options.fixedContext ?? Math.min(numCtx, contextLength));
    const chat: RecordedChat = {
      model,
      messages,
      seen: fitted.seen,
      cut: fitted.cut,
      ...(body.think === undefined ? {} : { think: body.think }),
      ...(body.keep_alive === undefined ? {} : { keepAlive: body.keep_alive }),
      format: body.format,
      // Real Ollama streams unless told otherwise.
      stream: body.stream !== false,
      options: requestOptions,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    };
    requests.push(chat);
    if (model === "") return sendJson(response, 400, { error: "model is required" });
    if (!models.includes(withTag(model))) {
      return sendJson(response, 404, { error: `model "${model}" not found, try pulling it first` });
    }

    const reply = normalizeReply(await respond(chat));
    if (reply.kind === "hang") return;
    if (reply.delayMs > 0 && !(await server.wait(reply.delayMs, response))) return;
    if (reply.kind === "error") return sendJson(response, reply.status, { error: reply.error });
    if (reply.kind === "raw") {
      response.writeHead(reply.status, { "Content-Type": reply.contentType });
      response.end(reply.body);
      return;
    }
    if (reply.kind === "cut") {
      const done = {
        model,
        created_at: new Date().toISOString(),
        message: { role: "assistant", content: reply.content },
        done: true,
      };
      return sendCutOff(
        response,
        chat.stream ? `${JSON.stringify({ ...done, done: false })}\n${JSON.stringify(done)}\n` : JSON.stringify(done),
      );
    }

    const promptTokens = tokensOf(fitted.seen);
    // As Ollama places reasoning: its own field when `think` asks for it, nothing when it is
    // false, inline `<think>` (the model's default) when the request does not say.
    const thinks = chat.think !== undefined && chat.think !== false;
    const content =
      reply.thinking !== undefined && chat.think === undefined
        ? `<think>${reply.thinking}</think>\n${reply.content}`
        : reply.content;
    const thinking = reply.thinking !== undefined && thinks ? reply.thinking : undefined;
    const answerChars = content.length + (thinking?.length ?? 0);
    const base = () => ({ model, created_at: new Date().toISOString() });
    if (!chat.stream) {
      return sendJson(response, 200, {
        ...base(),
        message: { role: "assistant", content, ...(thinking === undefined ? {} : { thinking }) },
        done: true,
        ...finalMetrics(promptTokens, answerChars),
      });
    }
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    if (thinking !== undefined) {
      response.write(
        `${JSON.stringify({ ...base(), message: { role: "assistant", content: "", thinking }, done: false })}\n`,
      );
    }
    for (const piece of streamPieces(content)) {
      response.write(`${JSON.stringify({ ...base(), message: { role: "assistant", content: piece }, done: false })}\n`);
    }
    response.end(
      `${JSON.stringify({ ...base(), message: { role: "assistant", content: "" }, done: true, ...finalMetrics(promptTokens, answerChars) })}\n`,
    );
  };

  const handleShow = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await readJsonObject(request);
    const model = typeof body?.model === "string" ? body.model : typeof body?.name === "string" ? body.name : "";
    if (!models.includes(withTag(model))) return sendJson(response, 404, { error: `model '${model}' not found` });
    const entry = modelEntry(withTag(model));
    sendJson(response, 200, {
      license: "",
      modelfile: `FROM ${entry.name}`,
      parameters: "temperature 0.6",
      template: "{{ .Prompt }}",
      details: entry.details,
      model_info: { "general.architecture": "qwen3", "qwen3.context_length": contextLength },
      capabilities: ["completion", "tools", "thinking"],
      modified_at: entry.modified_at,
    });
  };

  const handleEmbed = async (request: http.IncomingMessage, response: http.ServerResponse, server: LoopbackServer) => {
    const body = await readJsonObject(request);
    const model = typeof body?.model === "string" ? body.model : "";
    if (!models.includes(withTag(model)))
      return sendJson(response, 404, { error: `model "${model}" not found, try pulling it first` });
    const input = body?.input;
    const texts = typeof input === "string" ? [input] : Array.isArray(input) ? input.map(String) : [];
    embedRequests.push({ model, texts });
    if ((options.embedDelayMs ?? 0) > 0 && !(await server.wait(options.embedDelayMs ?? 0, response))) return;
    sendJson(response, 200, {
      model,
      embeddings: texts.map((text) => scriptedEmbedding(text)),
      total_duration: 1_000_000,
      load_duration: 0,
      prompt_eval_count: texts.length,
    });
  };

  const handlePull = async (request: http.IncomingMessage, response: http.ServerResponse, server: LoopbackServer) => {
    const body = await readJsonObject(request);
    const model = withTag(
      typeof body?.model === "string" ? body.model : typeof body?.name === "string" ? body.name : "",
    );
    if (!pullable.has(model)) return sendJson(response, 500, { error: "pull model manifest: file does not exist" });
    const total = 4_000_000;
    const steps = [
      { status: "pulling manifest" },
      ...[1, 2, 3, 4].map((quarter) => ({
        status: "pulling 8eeb52dfb3bb",
        digest: "sha256:8eeb52dfb3bb",
        total,
        completed: (total / 4) * quarter,
      })),
      { status: "verifying sha256 digest" },
      { status: "writing manifest" },
      { status: "success" },
    ];
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    for (const step of steps) {
      if ((options.pullStepDelayMs ?? 0) > 0 && !(await server.wait(options.pullStepDelayMs ?? 0, response))) return;
      response.write(`${JSON.stringify(step)}\n`);
    }
    if (!models.includes(model)) models.push(model);
    response.end();
  };

  const embedRequests: { model: string; texts: string[] }[] = [];

  const server: LoopbackServer = await startLoopbackServer(async (request, response) => {
    const route = `${request.method} ${new URL(request.url ?? "/", "http://localhost").pathname}`;
    switch (route) {
      case "POST /api/chat":
        return handleChat(request, response, server);
      case "GET /api/tags":
        return sendJson(response, 200, { models: models.map(modelEntry) });
      case "POST /api/show":
        return handleShow(request, response);
      case "POST /api/embed":
        return handleEmbed(request, response, server);
      case "POST /api/pull":
        return handlePull(request, response, server);
      case "GET /api/version":
        return sendJson(response, 200, { version: OLLAMA_VERSION });
      case "GET /":
      case "HEAD /":
        response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
        response.end("Ollama is running");
        return;
      default:
        response.writeHead(404, { "Content-Type": "text/plain" });
        response.end("404 page not found");
    }
  });

  return {
    url: server.url,
    requests,
    embedRequests,
    models,
    setResponder: (next) => {
      respond = next;
    },
    close: () => server.close(),
  };
}
