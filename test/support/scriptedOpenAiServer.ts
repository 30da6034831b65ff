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

export const SCRIPTED_OPENAI_MODEL = "scripted-gpt";

export interface ScriptedOpenAiOptions {
  /** Model ids the server serves (default: [SCRIPTED_OPENAI_MODEL]). */
  models?: string[];
  respond?: ChatResponder;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
}

/** A fake OpenAI-compatible server on 127.0.0.1 (non-streamed chat completions and the model list). */
export interface ScriptedOpenAi {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT/v1`, the base URL a client is configured with. */
  readonly baseUrl: string;
  /** Every chat request received; `format` is `response_format.json_schema.schema`. */
  readonly requests: RecordedChat[];
  setResponder(respond: ChatResponder): void;
  close(): Promise<void>;
}

/** OpenAI's error body shape. */
function openAiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, param: null, code } };
}

function schemaOf(responseFormat: unknown): unknown {
  const jsonSchema = (responseFormat as { json_schema?: { schema?: unknown } } | null | undefined)?.json_schema;
  return jsonSchema?.schema;
}

const GENERATION_KEYS = ["temperature", "top_p", "max_tokens", "seed", "response_format"] as const;

export async function startScriptedOpenAi(options: ScriptedOpenAiOptions = {}): Promise<ScriptedOpenAi> {
  const models = options.models ?? [SCRIPTED_OPENAI_MODEL];
  const requests: RecordedChat[] = [];
  let respond = options.respond ?? noResponder;
  let completionCount = 0;

  const authorized = (request: http.IncomingMessage) =>
    options.apiKey === undefined || request.headers.authorization === `Bearer ${options.apiKey}`;

  const handleChat = async (request: http.IncomingMessage, response: http.ServerResponse, server: LoopbackServer) => {
    const body = await readJsonObject(request);
    if (!body)
      return sendJson(
        response,
        400,
        openAiError("We could not parse the JSON body of your request.", "invalid_request_error"),
      );
    const model = typeof body.model === "string" ? body.model : "";
    const generation: Record<string, unknown> = {};
    for (const key of GENERATION_KEYS) if (key in body) generation[key] = body[key];
    const chat: RecordedChat = {
      model,
      messages: recordedMessages(body.messages),
      format: schemaOf(body.response_format),
      stream: body.stream === true,
      options: generation,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    };
    requests.push(chat);
    if (chat.stream)
      return sendJson(response, 400, openAiError("The scripted server does not stream.", "invalid_request_error"));
    if (!models.includes(model)) {
      return sendJson(
        response,
        404,
        openAiError(
          `The model \`${model}\` does not exist or you do not have access to it.`,
          "invalid_request_error",
          "model_not_found",
        ),
      );
    }

    const reply = normalizeReply(await respond(chat));
    if (reply.kind === "hang") return;
    if (reply.delayMs > 0 && !(await server.wait(reply.delayMs, response))) return;
    if (reply.kind === "error") return sendJson(response, reply.status, openAiError(reply.error, "server_error"));
    if (reply.kind === "raw") {
      response.writeHead(reply.status, { "Content-Type": reply.contentType });
      response.end(reply.body);
      return;
    }
    if (reply.kind === "cut")
      return sendCutOff(
        response,
        JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: reply.content } }] }),
      );
    const promptTokens = Math.ceil(chat.messages.reduce((total, message) => total + message.content.length, 0) / 4);
    const completionTokens = Math.ceil(reply.content.length / 4);
    sendJson(response, 200, {
      id: `chatcmpl-scripted-${++completionCount}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model,
      // vLLM and DeepSeek return a reasoning model's thinking as `reasoning_content`.
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: reply.content,
            ...(reply.thinking === undefined ? {} : { reasoning_content: reply.thinking }),
          },
          finish_reason: "stop",
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
      },
    });
  };

  const server: LoopbackServer = await startLoopbackServer(async (request, response) => {
    if (!authorized(request)) {
      return sendJson(
        response,
        401,
        openAiError("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
      );
    }
    const route = `${request.method} ${new URL(request.url ?? "/", "http://localhost").pathname}`;
    switch (route) {
      case "POST /v1/chat/completions":
        return handleChat(request, response, server);
      case "GET /v1/models":
        return sendJson(response, 200, {
          object: "list",
          data: models.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "scripted" })),
        });
      default:
        return sendJson(response, 404, openAiError(`Unknown route ${route}.`, "invalid_request_error"));
    }
  });

  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    requests,
    setResponder: (next) => {
      respond = next;
    },
    close: () => server.close(),
  };
}
