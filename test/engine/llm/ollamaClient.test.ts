import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Ollama } from "ollama";
import type { JsonSchema } from "../../../src/engine/jsonSchema";
import type { ChatMessage } from "../../../src/engine/llm/llmClient";
import { networkCodeOf, transportError, startCallDeadline } from "../../../src/engine/llm/llmErrors";
import { createOllamaClient } from "../../../src/engine/llm/ollamaClient";
import { unusedLoopbackUrl } from "../../support/llmScript";
import { startScriptedOllama, type ScriptedOllama } from "../../support/scriptedOllamaServer";

const checkFormat: JsonSchema = {
  type: "object",
  properties: { decision: { type: "boolean" }, justification: { type: "string" } },
  required: ["decision", "justification"],
};
const messages: ChatMessage[] = [
  { role: "system", content: "You judge feasibility." },
  { role: "user", content: "Can the tools produce the output?" },
];

describe("ollama client against a scripted Ollama", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama({ models: ["qwen3:8b", "gemma3:4b"] });
  });
  after(async () => {
    await ollama.close();
  });

  test("a structured chat sends the schema as format and returns the content", async () => {
    ollama.setResponder(() => ({ json: { decision: true, justification: "the weather tool gives it" } }));
    const before = ollama.requests.length;
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "check", messages, format: checkFormat, timeoutMs: 5000 });

    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(JSON.parse(result.value.content), { decision: true, justification: "the weather tool gives it" });
    assert.equal(result.value.promptChars, messages[0]!.content.length + messages[1]!.content.length);
    const sent = ollama.requests[before]!;
    assert.deepEqual(sent.format, checkFormat);
    assert.equal(sent.stream, false);
    assert.equal(sent.model, "qwen3:8b");
    assert.equal(sent.options.temperature, 0);
    assert.deepEqual(sent.messages, messages);
    assert.equal(client.description, `ollama ${ollama.url} qwen3:8b`);
  });

  test("listModels reads /api/tags", async () => {
    const client = createOllamaClient({ host: `${ollama.url}/`, model: "qwen3:8b" });
    const models = await client.listModels();
    assert.deepEqual(models, { ok: true, value: ["qwen3:8b", "gemma3:4b"] });
  });

  test("an unknown model is LLM_MODEL_NOT_FOUND naming the pull command and the models the host has", async () => {
    const client = createOllamaClient({ host: ollama.url, model: "llama3.3:70b" });
    const result = await client.chat({ purpose: "plan", messages, timeoutMs: 5000 });

    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_MODEL_NOT_FOUND");
    assert.equal(result.error.stage, "llm");
    assert.match(result.error.message, /not pulled/);
    assert.match(result.error.message, /ollama pull llama3\.3:70b/);
    assert.match(result.error.message, /qwen3:8b, gemma3:4b/);
    assert.deepEqual(result.error.details?.available, ["qwen3:8b", "gemma3:4b"]);
  });

  test("an HTTP 500 is LLM_HTTP with the status and the server's error", async () => {
    ollama.setResponder(() => ({ status: 500, error: "CUDA out of memory" }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "plan", messages, timeoutMs: 5000 });

    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_HTTP");
    assert.equal(result.error.details?.status, 500);
    assert.match(result.error.message, /HTTP 500: CUDA out of memory/);
  });

  test("a body that is not JSON, or has no message, is LLM_BAD_RESPONSE", async () => {
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    ollama.setResponder(() => ({ rawBody: "<html>proxy error</html>" }));
    const garbage = await client.chat({ purpose: "adapt", messages, timeoutMs: 5000 });
    ollama.setResponder(() => ({ rawBody: "{}" }));
    const empty = await client.chat({ purpose: "adapt", messages, timeoutMs: 5000 });

    assert.ok(!garbage.ok && !empty.ok);
    assert.equal(garbage.error.kind, "LLM_BAD_RESPONSE");
    assert.match(garbage.error.message, /not JSON/);
    assert.equal(empty.error.kind, "LLM_BAD_RESPONSE");
    assert.match(empty.error.message, /no message content/);
  });

  test("a hung answer is LLM_TIMEOUT once the per-call time is up", async () => {
    ollama.setResponder(() => ({ hang: true }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const started = Date.now();
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 300 });
    const elapsed = Date.now() - started;

    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_TIMEOUT");
    assert.match(result.error.message, /300 ms/);
    assert.ok(elapsed >= 280, `gave up after ${elapsed} ms, before its 300 ms`);
  });

  test("a slow answer within the time limit succeeds", async () => {
    ollama.setResponder(() => ({ content: "{}", delayMs: 150 }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 3000 });
    assert.ok(result.ok);
    assert.equal(result.value.content, "{}");
    assert.equal(
      result.value.promptChars,
      "You judge feasibility.".length + "Can the tools produce the output?".length,
    );
    assert.ok(result.value.usage.totalMs >= 150);
  });

  test("the caller's abort cancels only its own call", async () => {
    ollama.setResponder((request) =>
      request.messages.some((message) => message.content === "slow")
        ? { hang: true }
        : { content: "fast answer", delayMs: 300 },
    );
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const controller = new AbortController();
    const slow = client.chat({
      purpose: "plan",
      messages: [{ role: "user", content: "slow" }],
      signal: controller.signal,
      timeoutMs: 10_000,
    });
    const fast = client.chat({ purpose: "plan", messages: [{ role: "user", content: "fast" }], timeoutMs: 10_000 });
    setTimeout(() => controller.abort(), 100);
    const slowResult = await slow;

    assert.ok(!slowResult.ok);
    assert.equal(slowResult.error.kind, "CANCELLED");
    assert.equal(slowResult.error.stage, "llm");
    const fastResult = await fast;
    assert.ok(fastResult.ok, JSON.stringify(fastResult));
    assert.equal(fastResult.value.content, "fast answer");
  });

  test("an already aborted signal is CANCELLED without a request", async () => {
    const before = ollama.requests.length;
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "plan", messages, signal: AbortSignal.abort() });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "CANCELLED");
    assert.equal(ollama.requests.length, before);
  });

  test("the real ollama client streams from the scripted server, and show/version/list work", async () => {
    ollama.setResponder(() => "a streamed answer in several pieces");
    const real = new Ollama({ host: ollama.url });
    const stream = await real.chat({ model: "gemma3:4b", messages, stream: true, format: checkFormat });
    const pieces: string[] = [];
    let done = false;
    for await (const part of stream) {
      pieces.push(part.message.content);
      done = part.done;
    }
    assert.ok(pieces.length > 2, `got ${pieces.length} chunks`);
    assert.equal(pieces.join(""), "a streamed answer in several pieces");
    assert.equal(done, true);
    assert.equal(ollama.requests.at(-1)?.stream, true);

    const shown = await real.show({ model: "gemma3:4b" });
    assert.deepEqual(shown.capabilities, ["completion", "tools", "thinking"]);
    assert.match((await real.version()).version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(
      (await real.list()).models.map((model) => model.name),
      ["qwen3:8b", "gemma3:4b"],
    );
  });
});

describe("ollama client without a server", () => {
  test("a closed port is LLM_UNREACHABLE telling how to start Ollama or change the host", async () => {
    const host = await unusedLoopbackUrl();
    const client = createOllamaClient({ host, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 5000 });

    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_UNREACHABLE");
    assert.equal(result.error.stage, "llm");
    assert.ok(result.error.message.includes(host), result.error.message);
    assert.match(result.error.message, /ECONNREFUSED/);
    assert.match(result.error.message, /ollama serve/);
    assert.match(result.error.message, /llmFunction\.ollama\.host/);

    const models = await client.listModels();
    assert.ok(!models.ok);
    assert.equal(models.error.kind, "LLM_UNREACHABLE");
  });

  test("a name that does not resolve (undici's nested ENOTFOUND) is LLM_UNREACHABLE", () => {
    // The shape undici gives a failed DNS lookup; real lookups are not possible in a sandbox without DNS.
    const failure = new TypeError("fetch failed", {
      cause: Object.assign(new Error("getaddrinfo ENOTFOUND ollama.lan"), { code: "ENOTFOUND" }),
    });
    assert.equal(networkCodeOf(failure), "ENOTFOUND");
    const deadline = startCallDeadline(undefined, 1000);
    const error = transportError(failure, deadline, {
      label: "Ollama",
      url: "http://ollama.lan:11434",
      model: "qwen3:8b",
      unreachableHint: "Start Ollama.",
    });
    deadline.dispose();
    assert.equal(error?.kind, "LLM_UNREACHABLE");
    assert.match(error?.message ?? "", /http:\/\/ollama\.lan:11434 \(ENOTFOUND\)/);
  });
});

describe("ollama embeddings", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama({ models: ["qwen3:8b", "nomic-embed-text"], embedDelayMs: 300 });
  });
  after(() => ollama.close());

  test("/api/embed keeps the call's own time limit, not a fixed one", async () => {
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b", embeddingModel: "nomic-embed-text" });
    assert.ok(client.embed);
    const slow = await client.embed({ texts: ["geocode a city"], timeoutMs: 5000 });
    assert.ok(slow.ok, slow.ok ? "" : slow.error.message);
    assert.equal(slow.value.length, 1);

    const started = Date.now();
    const late = await client.embed({ texts: ["geocode a city"], timeoutMs: 100 });
    const elapsed = Date.now() - started;
    assert.ok(!late.ok);
    assert.equal(late.error.kind, "LLM_TIMEOUT");
    assert.match(late.error.message, /100 ms/);
    assert.ok(elapsed >= 90, `gave up after ${elapsed} ms, before its 100 ms`);
  });
});
