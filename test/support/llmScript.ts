import http from "node:http";
import type { AddressInfo } from "node:net";

/** One chat request as a scripted LLM server received it. */
export interface RecordedChat {
  model: string;
  messages: { role: string; content: string }[];
  /** The JSON Schema asked for: Ollama `format`, or OpenAI `response_format.json_schema.schema`. */
  format: unknown;
  stream: boolean;
  /** Generation options as sent (Ollama `options`; OpenAI `temperature` and friends). */
  options: Record<string, unknown>;
  /** The Authorization header, when one was sent. */
  authorization?: string;
  /**
   * The messages as the model saw them, after a context-faithful server cut the prompt to its
   * window from the front (the same as `messages` when nothing was cut).
   */
  seen?: { role: string; content: string }[];
  /** True when the server cut the prompt to fit its window. */
  cut?: boolean;
  /** Ollama `think` as sent. */
  think?: unknown;
  /** Ollama `keep_alive` as sent. */
  keepAlive?: unknown;
}

/** How a scripted server answers one chat request. A string is the assistant's content. */
export type ScriptedReply =
  | string
  | {
      /** The assistant's content. */
      content?: string;
      /** Shorthand for `content: JSON.stringify(json)`. */
      json?: unknown;
      /** A reasoning model's thinking, placed as the server's `think` asks (separate field, inline `<think>`, or dropped). */
      thinking?: string;
      /** Answer with this HTTP status and `error` instead of a chat answer. */
      status?: number;
      error?: string;
      /** Send this text as the whole response body (status 200 unless `status` is set). */
      rawBody?: string;
      /** The Content-Type of `rawBody` (default JSON), e.g. a proxy's `text/html` error page. */
      contentType?: string;
      /** Send the start of this answer's body, then cut the connection: a crashed or restarted server. */
      cutOff?: boolean;
      /** Wait this long before answering. */
      delayMs?: number;
      /** Never answer; the request stays open until the client gives up or the server closes. */
      hang?: boolean;
    };

export type ChatResponder = (request: RecordedChat) => ScriptedReply | Promise<ScriptedReply>;

export type ScriptPurpose = "check" | "plan" | "adapt" | "unknown";

/** Which assembler call a request is, from the top-level properties of the JSON Schema it asks for. */
export function purposeOf(request: Pick<RecordedChat, "format">): ScriptPurpose {
  const format = request.format;
  if (typeof format !== "object" || format === null) return "unknown";
  const properties = (format as { properties?: unknown }).properties;
  if (typeof properties !== "object" || properties === null) return "unknown";
  const has = (key: string) => Object.hasOwn(properties, key);
  if (has("decision")) return "check";
  if (has("steps")) return "plan";
  if (has("args")) return "adapt";
  return "unknown";
}

export type QueueResponder = ChatResponder & {
  /** Replies still queued for a purpose. */
  remaining(purpose: ScriptPurpose): number;
};

/**
 * Answers each purpose from its own queue, in order. A request whose queue is empty gets
 * HTTP 500 with an error naming the purpose, so a test that under-scripts fails visibly.
 */
export function queueResponder(replies: Partial<Record<ScriptPurpose, ScriptedReply[]>>): QueueResponder {
  const queues = new Map<ScriptPurpose, ScriptedReply[]>();
  const used = new Map<ScriptPurpose, number>();
  for (const [purpose, list] of Object.entries(replies) as [ScriptPurpose, ScriptedReply[]][])
    queues.set(purpose, [...list]);
  const responder = (request: RecordedChat): ScriptedReply => {
    const purpose = purposeOf(request);
    const next = queues.get(purpose)?.shift();
    if (next === undefined) {
      return {
        status: 500,
        error: `scripted LLM: no '${purpose}' reply left in the queue (${used.get(purpose) ?? 0} used). Script more replies for this test.`,
      };
    }
    used.set(purpose, (used.get(purpose) ?? 0) + 1);
    return next;
  };
  return Object.assign(responder, { remaining: (purpose: ScriptPurpose) => queues.get(purpose)?.length ?? 0 });
}

/** A reply in one shape: exactly one of a chat answer, an error, a raw body or a hang. */
export type NormalizedReply =
  | { kind: "content"; content: string; thinking?: string; delayMs: number }
  | { kind: "error"; status: number; error: string; delayMs: number }
  | { kind: "raw"; status: number; body: string; contentType: string; delayMs: number }
  | { kind: "cut"; content: string; delayMs: number }
  | { kind: "hang" };

export function normalizeReply(reply: ScriptedReply): NormalizedReply {
  if (typeof reply === "string") return { kind: "content", content: reply, delayMs: 0 };
  const delayMs = reply.delayMs ?? 0;
  if (reply.hang) return { kind: "hang" };
  if (reply.rawBody !== undefined) {
    return {
      kind: "raw",
      status: reply.status ?? 200,
      body: reply.rawBody,
      contentType: reply.contentType ?? "application/json; charset=utf-8",
      delayMs,
    };
  }
  if (reply.error !== undefined || (reply.status !== undefined && reply.status >= 400)) {
    return {
      kind: "error",
      status: reply.status ?? 500,
      error: reply.error ?? `scripted error ${reply.status}`,
      delayMs,
    };
  }
  const content = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.content ?? "");
  if (reply.cutOff) return { kind: "cut", content, delayMs };
  return { kind: "content", content, delayMs, ...(reply.thinking === undefined ? {} : { thinking: reply.thinking }) };
}

export const noResponder: ChatResponder = (request) => ({
  status: 500,
  error: `scripted LLM: no responder set (request purpose '${purposeOf(request)}'). Pass respond or call setResponder.`,
});

/** A node:http server on 127.0.0.1 with a random port that can always be closed, even with hung requests. */
export interface LoopbackServer {
  url: string;
  /** Resolves true after `ms`, or false early when the client went away or the server closed. */
  wait(ms: number, response: http.ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

export type LoopbackHandler = (request: http.IncomingMessage, response: http.ServerResponse) => Promise<void>;

export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const pendingWaits = new Set<() => void>();
  const server = http.createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: `scripted server failed: ${error instanceof Error ? error.message : String(error)}`,
        });
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wait: (ms, response) =>
      new Promise<boolean>((resolve) => {
        const finish = (done: boolean) => {
          clearTimeout(timer);
          pendingWaits.delete(cancel);
          response.off("close", cancel);
          resolve(done);
        };
        const cancel = () => finish(false);
        const timer = setTimeout(() => finish(true), ms);
        // The response closes before it is ended only when the client went away.
        response.once("close", cancel);
        pendingWaits.add(cancel);
      }),
    close: async () => {
      for (const cancel of [...pendingWaits]) cancel();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Headers and the first half of a JSON body, then a cut connection. */
export function sendCutOff(response: http.ServerResponse, body: string): void {
  response.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
  response.write(body.slice(0, Math.ceil(body.length / 2)), () => response.socket?.destroy());
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

export async function readBody(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** The request body as a JSON object, or undefined when it is not one. */
export async function readJsonObject(request: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readBody(request));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function recordedMessages(value: unknown): RecordedChat["messages"] {
  if (!Array.isArray(value)) return [];
  return value.map((message: { role?: unknown; content?: unknown }) => ({
    role: String(message?.role ?? ""),
    content: typeof message?.content === "string" ? message.content : JSON.stringify(message?.content ?? ""),
  }));
}

/** `http://127.0.0.1:PORT` for a port nothing listens on (bound, then released), to test unreachable hosts. */
export async function unusedLoopbackUrl(): Promise<string> {
  const server = await startLoopbackServer(async (_request, response) => {
    response.end();
  });
  await server.close();
  return server.url;
}
