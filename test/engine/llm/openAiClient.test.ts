import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { JsonSchema } from "../../../src/engine/jsonSchema";
import type { ChatMessage } from "../../../src/engine/llm/llmClient";
import { createOpenAiClient } from "../../../src/engine/llm/openAiClient";
import { sendJson, startLoopbackServer, unusedLoopbackUrl, type LoopbackServer } from "../../support/llmScript";
import { purposeOf, startScriptedOpenAi, type ScriptedOpenAi } from "../../support/scriptedOpenAiServer";

const planFormat: JsonSchema = {
  type: "object",
  properties: {
    steps: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, args: { type: "object" } } },
    },
  },
  required: ["steps"],
};
const messages: ChatMessage[] = [
  { role: "system", content: "You plan workflows." },
  { role: "user", content: "Plan it." },
];

describe("openai client against a scripted OpenAI-compatible server", () => {
  let server: ScriptedOpenAi;
  before(async () => {
    server = await startScriptedOpenAi({ models: ["gpt-4o-mini", "local-model"], apiKey: "sk-test" });
  });
  after(async () => {
    await server.close();
  });

  test("a structured chat sends response_format json_schema and the key, and returns the content", async () => {
    const plan = { steps: [{ name: "output_model", args: { city: "input_model.output.city" } }] };
    server.setResponder(() => ({ json: plan }));
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "gpt-4o-mini", apiKey: "sk-test" });
    const result = await client.chat({ purpose: "plan", messages, format: planFormat, timeoutMs: 5000 });

    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(JSON.parse(result.value.content), plan);
    assert.equal(result.value.promptChars, "You plan workflows.".length + "Plan it.".length);
    const sent = server.requests.at(-1)!;
    assert.deepEqual(sent.format, planFormat);
    assert.equal(purposeOf(sent), "plan");
    assert.deepEqual(sent.options.response_format, {
      type: "json_schema",
      json_schema: { name: "plan", schema: planFormat, strict: false },
    });
    assert.equal(sent.options.temperature, 0);
    assert.equal(sent.authorization, "Bearer sk-test");
    assert.deepEqual(sent.messages, messages);
    assert.equal(client.description, `openai ${server.baseUrl} gpt-4o-mini`);
  });

  test("usage comes from the answer's usage, and reasoning stays out of the content", async () => {
    server.setResponder(() => ({ json: { steps: [] }, thinking: "No tool is needed." }));
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "gpt-4o-mini", apiKey: "sk-test" });
    const result = await client.chat({ purpose: "plan", messages, format: planFormat, timeoutMs: 5000 });
    assert.ok(result.ok);
    assert.deepEqual(JSON.parse(result.value.content), { steps: [] });
    assert.equal(result.value.thinking, "No tool is needed.");
    assert.equal(result.value.usage.promptTokens, Math.ceil(messages.reduce((t, m) => t + m.content.length, 0) / 4));
    assert.equal(result.value.usage.answerTokens, Math.ceil(JSON.stringify({ steps: [] }).length / 4));
    assert.equal(result.value.usage.loadMs, undefined, "an OpenAI-compatible server reports no durations");
    assert.equal(result.value.context, undefined, "and has no num_ctx");
  });

  test("listModels reads /models", async () => {
    const client = createOpenAiClient({ baseUrl: `${server.baseUrl}/`, model: "gpt-4o-mini", apiKey: "sk-test" });
    assert.deepEqual(await client.listModels(), { ok: true, value: ["gpt-4o-mini", "local-model"] });
  });

  test("a wrong key is LLM_HTTP 401", async () => {
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "gpt-4o-mini", apiKey: "sk-wrong" });
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 5000 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_HTTP");
    assert.equal(result.error.details?.status, 401);
    assert.match(result.error.message, /Incorrect API key/);
  });

  test("an unknown model is LLM_MODEL_NOT_FOUND listing the served models", async () => {
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "gpt-5-huge", apiKey: "sk-test" });
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 5000 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_MODEL_NOT_FOUND");
    assert.match(result.error.message, /"gpt-5-huge" is not available/);
    assert.match(result.error.message, /gpt-4o-mini, local-model/);
    assert.deepEqual(result.error.details?.available, ["gpt-4o-mini", "local-model"]);
  });

  test("an HTTP 500 is LLM_HTTP with the server's message", async () => {
    server.setResponder(() => ({ status: 500, error: "engine overloaded" }));
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "local-model", apiKey: "sk-test" });
    const result = await client.chat({ purpose: "adapt", messages, timeoutMs: 5000 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_HTTP");
    assert.equal(result.error.details?.status, 500);
    assert.match(result.error.message, /HTTP 500: engine overloaded/);
  });

  test("an empty body or one without choices is LLM_BAD_RESPONSE", async () => {
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "local-model", apiKey: "sk-test" });
    server.setResponder(() => ({ rawBody: "" }));
    const empty = await client.chat({ purpose: "adapt", messages, timeoutMs: 5000 });
    server.setResponder(() => ({ rawBody: '{"choices":[]}' }));
    const noChoices = await client.chat({ purpose: "adapt", messages, timeoutMs: 5000 });
    assert.ok(!empty.ok && !noChoices.ok);
    assert.equal(empty.error.kind, "LLM_BAD_RESPONSE");
    assert.match(empty.error.message, /empty/);
    assert.equal(noChoices.error.kind, "LLM_BAD_RESPONSE");
    assert.match(noChoices.error.message, /choices\[0\]/);
  });

  test("a hung answer is LLM_TIMEOUT once the per-call time is up", async () => {
    server.setResponder(() => ({ hang: true }));
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "local-model", apiKey: "sk-test" });
    const started = Date.now();
    const result = await client.chat({ purpose: "check", messages, timeoutMs: 300 });
    const elapsed = Date.now() - started;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_TIMEOUT");
    assert.ok(elapsed >= 280, `gave up after ${elapsed} ms, before its 300 ms`);
  });

  test("the caller's abort is CANCELLED, even while a long timeout runs", async () => {
    server.setResponder(() => ({ hang: true }));
    const client = createOpenAiClient({ baseUrl: server.baseUrl, model: "local-model", apiKey: "sk-test" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await client.chat({ purpose: "check", messages, signal: controller.signal, timeoutMs: 30_000 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "CANCELLED");
  });
});

test("openai client: a closed port is LLM_UNREACHABLE naming the base URL", async () => {
  const baseUrl = `${await unusedLoopbackUrl()}/v1`;
  const client = createOpenAiClient({ baseUrl, model: "local-model" });
  const result = await client.chat({ purpose: "check", messages, timeoutMs: 5000 });
  assert.ok(!result.ok);
  assert.equal(result.error.kind, "LLM_UNREACHABLE");
  assert.ok(result.error.message.includes(baseUrl), result.error.message);
  assert.match(result.error.message, /ECONNREFUSED/);
  const models = await client.listModels();
  assert.ok(!models.ok);
  assert.equal(models.error.kind, "LLM_UNREACHABLE");
});

describe("openai model listing after an unknown model", () => {
  let server: LoopbackServer;
  before(async () => {
    // OpenAI's unknown-model answer, then a model listing that never answers.
    server = await startLoopbackServer(async (request, response) => {
      if (request.url === "/v1/chat/completions")
        return sendJson(response, 404, {
          error: {
            message: "The model `gone` does not exist.",
            type: "invalid_request_error",
            code: "model_not_found",
          },
        });
      await server.wait(60_000, response);
    });
  });
  after(() => server.close());

  test("uses the call's own time limit, not a fixed one", async () => {
    const client = createOpenAiClient({ baseUrl: `${server.url}/v1`, model: "gone" });
    const started = Date.now();
    const result = await client.chat({ purpose: "plan", messages, timeoutMs: 1500 });
    const elapsed = Date.now() - started;
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_MODEL_NOT_FOUND");
    assert.match(result.error.message, /The list of available models could not be read \(no answer within 1500 ms\)/);
    assert.ok(elapsed < 10_000, `the listing took ${elapsed} ms: the fixed 10 s limit, not the call's`);
  });
});
