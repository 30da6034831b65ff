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
}

/** A fake Ollama host speaking the real HTTP API on 127.0.0.1, answering chats from a script. */
export interface ScriptedOllama {
  /** `http://127.0.0.1:PORT`, usable as the Ollama host. */
  readonly url: string;
  /** Every chat request received (including unknown-model and hung ones), in order. */
  readonly requests: RecordedChat[];
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
    details: { parent_model: "", format: "gguf", family: "qwen3", families: ["qwen3"], parameter_size: "8.2B", quantization_level: "Q4_K_M" },
  };
}

/** The timing and token fields Ollama adds to a finished answer; token counts roughly chars / 4. */
function finalMetrics(promptChars: number, answerChars: number) {
  return {
    done_reason: "stop",
    total_duration: 1_000_000,
    load_duration: 100_000,
    prompt_eval_count: Math.ceil(promptChars / 4),
    prompt_eval_duration: 400_000,
    eval_count: Math.ceil(answerChars / 4),
    eval_duration: 500_000,
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
  const requests: RecordedChat[] = [];
  let respond = options.respond ?? noResponder;

  const handleChat = async (request: http.IncomingMessage, response: http.ServerResponse, server: LoopbackServer) => {
    const body = await readJsonObject(request);
    if (!body) return sendJson(response, 400, { error: "invalid request body" });
    const model = typeof body.model === "string" ? body.model : "";
    const chat: RecordedChat = {
      model,
      messages: recordedMessages(body.messages),
      format: body.format,
      // Real Ollama streams unless told otherwise.
      stream: body.stream !== false,
      options: typeof body.options === "object" && body.options !== null ? (body.options as Record<string, unknown>) : {},
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
      const done = { model, created_at: new Date().toISOString(), message: { role: "assistant", content: reply.content }, done: true };
      return sendCutOff(response, chat.stream ? `${JSON.stringify({ ...done, done: false })}\n${JSON.stringify(done)}\n` : JSON.stringify(done));
    }

    const promptChars = chat.messages.reduce((total, message) => total + message.content.length, 0);
    const base = () => ({ model, created_at: new Date().toISOString() });
    if (!chat.stream) {
      return sendJson(response, 200, {
        ...base(),
        message: { role: "assistant", content: reply.content },
        done: true,
        ...finalMetrics(promptChars, reply.content.length),
      });
    }
    response.writeHead(200, { "Content-Type": "application/x-ndjson" });
    for (const piece of streamPieces(reply.content)) {
      response.write(`${JSON.stringify({ ...base(), message: { role: "assistant", content: piece }, done: false })}\n`);
    }
    response.end(
      `${JSON.stringify({ ...base(), message: { role: "assistant", content: "" }, done: true, ...finalMetrics(promptChars, reply.content.length) })}\n`,
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
      model_info: { "general.architecture": "qwen3", "qwen3.context_length": 40960 },
      capabilities: ["completion", "tools", "thinking"],
      modified_at: entry.modified_at,
    });
  };

  const server: LoopbackServer = await startLoopbackServer(async (request, response) => {
    const route = `${request.method} ${new URL(request.url ?? "/", "http://localhost").pathname}`;
    switch (route) {
      case "POST /api/chat":
        return handleChat(request, response, server);
      case "GET /api/tags":
        return sendJson(response, 200, { models: models.map(modelEntry) });
      case "POST /api/show":
        return handleShow(request, response);
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
    setResponder: (next) => {
      respond = next;
    },
    close: () => server.close(),
  };
}
