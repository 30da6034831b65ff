import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ChatMessage } from "../../../src/engine/llm/llmClient";
import { createOllamaClient } from "../../../src/engine/llm/ollamaClient";
import { sendJson, startLoopbackServer, type LoopbackServer } from "../../support/llmScript";
import { startScriptedOllama, type ScriptedOllama } from "../../support/scriptedOllamaServer";

const messages: ChatMessage[] = [{ role: "user", content: "Plan it." }];

/**
 * Runs `body` with what the console writes to stdout captured (and kept off it). The test
 * runner's own stdout is left alone: it reports through it. The CLI fuzz suite checks a whole
 * process's stdout.
 */
async function capturingStdout<T>(body: () => Promise<T>): Promise<{ value: T; stdout: string }> {
  const methods = ["log", "info", "debug", "dir", "table"] as const;
  const saved = methods.map((name) => console[name]);
  let stdout = "";
  for (const name of methods)
    console[name] = (...args: unknown[]) => void (stdout += `${args.map(String).join(" ")}\n`);
  try {
    return { value: await body(), stdout };
  } finally {
    methods.forEach((name, index) => {
      console[name] = saved[index]!;
    });
  }
}

describe("ollama client on HTTP faults", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama();
  });
  after(() => ollama.close());

  const faults = {
    "500 text/plain": { status: 500, rawBody: "internal error: the GPU fell over", contentType: "text/plain" },
    "404 plain (a proxy's)": { status: 404, rawBody: "404 page not found", contentType: "text/plain" },
    "503 html": {
      status: 503,
      rawBody: "<html><body><h1>503 Service Unavailable</h1></body></html>",
      contentType: "text/html",
    },
    "502 JSON without error": { status: 502, rawBody: '{"message":"bad gateway"}' },
  };
  for (const [name, reply] of Object.entries(faults)) {
    test(`${name}: LLM_HTTP with the status and the start of the body, and nothing on stdout`, async () => {
      ollama.setResponder(() => reply);
      const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
      const { value: result, stdout } = await capturingStdout(() =>
        client.chat({ purpose: "plan", messages, timeoutMs: 5000 }),
      );
      assert.equal(stdout, "");
      assert.ok(!result.ok);
      assert.equal(result.error.kind, "LLM_HTTP", result.error.message);
      assert.equal(result.error.details?.status, reply.status);
      assert.ok(result.error.message.includes(reply.rawBody.slice(0, 20)), result.error.message);
    });
  }

  test("an answer cut off mid-body is a typed error, not a crash", async () => {
    ollama.setResponder(() => ({ json: { steps: [] }, cutOff: true }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "plan", messages, timeoutMs: 5000 });
    assert.ok(!result.ok);
    assert.ok(
      ["LLM_UNREACHABLE", "LLM_BAD_RESPONSE"].includes(result.error.kind),
      `${result.error.kind}: ${result.error.message}`,
    );
  });

  test("a real unknown model is LLM_MODEL_NOT_FOUND; a 404 whose body merely says 'not found' is LLM_HTTP", async () => {
    const unknown = await createOllamaClient({ host: ollama.url, model: "nope:1b" }).chat({
      purpose: "plan",
      messages,
      timeoutMs: 5000,
    });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.kind, "LLM_MODEL_NOT_FOUND");
    ollama.setResponder(() => ({ status: 404, rawBody: "404 page not found", contentType: "text/plain" }));
    const proxied = await createOllamaClient({ host: ollama.url, model: "qwen3:8b" }).chat({
      purpose: "plan",
      messages,
      timeoutMs: 5000,
    });
    assert.ok(!proxied.ok);
    assert.equal(proxied.error.kind, "LLM_HTTP");
    assert.doesNotMatch(proxied.error.message, /ollama pull/);
  });
});

describe("model listing after a 404", () => {
  let server: LoopbackServer;
  before(async () => {
    // Ollama's unknown-model answers, then a model listing that never answers.
    server = await startLoopbackServer(async (request, response) => {
      if (request.url === "/api/chat")
        return sendJson(response, 404, { error: 'model "qwen3:8b" not found, try pulling it first' });
      if (request.url === "/api/show") return sendJson(response, 404, { error: "model 'qwen3:8b' not found" });
      await server.wait(60_000, response);
    });
  });
  after(() => server.close());

  test("uses the call's own time limit, not a fixed one", async () => {
    const client = createOllamaClient({ host: server.url, model: "qwen3:8b" });
    // Long enough for the two 404s under any load: only the listing, which never answers, may use it up.
    const result = await client.chat({ purpose: "plan", messages, timeoutMs: 3000 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_MODEL_NOT_FOUND");
    assert.match(result.error.message, /The list of available models could not be read \(no answer within 3000 ms\)/);
  });
});
