import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonSchema } from "../../../src/engine/jsonSchema";
import { createLlmClient } from "../../../src/engine/llm/createLlmClient";
import type { LlmPurpose } from "../../../src/engine/llm/llmClient";
import { planFormat } from "../../../src/engine/assembler/prompts";
import { allowedStepNames, withinFormat } from "../../support/formatGrammar";
import { queueResponder, purposeOf, startScriptedOllama } from "../../support/scriptedOllamaServer";
import { startScriptedOpenAi } from "../../support/scriptedOpenAiServer";
import { waitFor } from "../../support/waitFor";

const formats: Record<LlmPurpose, JsonSchema> = {
  check: { type: "object", properties: { decision: { type: "boolean" }, justification: { type: "string" } } },
  plan: { type: "object", properties: { steps: { type: "array" } } },
  adapt: { type: "object", properties: { args: { type: "object" } } },
};

test("purposeOf tells check, plan and adapt apart by the format's top-level properties", () => {
  assert.equal(purposeOf({ format: formats.check }), "check");
  assert.equal(purposeOf({ format: formats.plan }), "plan");
  assert.equal(purposeOf({ format: formats.adapt }), "adapt");
  assert.equal(purposeOf({ format: "json" }), "unknown");
  assert.equal(purposeOf({ format: undefined }), "unknown");
  assert.equal(purposeOf({ format: { type: "object", properties: { other: {} } } }), "unknown");
});

test("withinFormat keeps plan step names inside the format's enum, as Ollama's grammar does", async () => {
  const format = planFormat(["geocode_city", "weather_forecast"]);
  assert.deepEqual(allowedStepNames(format), ["geocode_city", "weather_forecast", "output_model"]);
  const respond = withinFormat(() => ({
    json: {
      steps: [
        { name: "geocode_city", args: {} },
        { name: "weather_api", args: {} },
        { name: "invented", args: {} },
        { name: "output_model", args: {} },
      ],
    },
  }));
  const reply = await respond({ model: "m", messages: [], format, stream: false, options: {} });
  const names = (reply as { json: { steps: { name: string }[] } }).json.steps.map((step) => step.name);
  // The nearest allowed name by shared start; with none shared, the first.
  assert.deepEqual(names, ["geocode_city", "weather_forecast", "geocode_city", "output_model"]);
  const check = await respond({ model: "m", messages: [], format: formats.check, stream: false, options: {} });
  assert.deepEqual((check as { json: { steps: { name: string }[] } }).json.steps[1]?.name, "weather_api");
});

test("queueResponder answers each purpose in order and fails loudly when a queue runs dry", async () => {
  const queue = queueResponder({
    check: [{ json: { decision: true, justification: "ok" } }],
    plan: ["first plan", "second plan"],
  });
  const ollama = await startScriptedOllama({ respond: queue });
  try {
    const client = createLlmClient({ type: "ollama", host: ollama.url, model: "qwen3:8b" });
    const ask = (purpose: LlmPurpose) =>
      client.chat({
        purpose,
        messages: [{ role: "user", content: purpose }],
        format: formats[purpose],
        timeoutMs: 5000,
      });

    const plan1 = await ask("plan");
    const check = await ask("check");
    const plan2 = await ask("plan");
    assert.deepEqual(
      [plan1.ok && plan1.value.content, check.ok && check.value.content, plan2.ok && plan2.value.content],
      ["first plan", '{"decision":true,"justification":"ok"}', "second plan"],
    );
    assert.equal(queue.remaining("plan"), 0);

    const dry = await ask("plan");
    assert.ok(!dry.ok);
    assert.equal(dry.error.kind, "LLM_HTTP");
    assert.equal(dry.error.details?.status, 500);
    assert.match(dry.error.message, /no 'plan' reply left in the queue \(2 used\)/);
    const unscripted = await ask("adapt");
    assert.ok(!unscripted.ok);
    assert.match(unscripted.error.message, /no 'adapt' reply left/);
    assert.deepEqual(
      ollama.requests.map((request) => purposeOf(request)),
      ["plan", "check", "plan", "plan", "adapt"],
    );
  } finally {
    await ollama.close();
  }
});

test("a server without a responder says so instead of inventing an answer", async () => {
  const ollama = await startScriptedOllama();
  try {
    const client = createLlmClient({ type: "ollama", host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({
      purpose: "check",
      messages: [{ role: "user", content: "hi" }],
      format: formats.check,
    });
    assert.ok(!result.ok);
    assert.match(result.error.message, /no responder set \(request purpose 'check'\)/);
  } finally {
    await ollama.close();
  }
});

test("close() returns while requests hang on both servers", async () => {
  const ollama = await startScriptedOllama({ respond: () => ({ hang: true }) });
  const openAi = await startScriptedOpenAi({ respond: () => ({ hang: true }) });
  const ollamaClient = createLlmClient({ type: "ollama", host: ollama.url, model: "qwen3:8b" });
  const openAiClient = createLlmClient({ type: "openai", baseUrl: openAi.baseUrl, model: "scripted-gpt" });
  assert.match(ollamaClient.description, /^ollama /);
  assert.match(openAiClient.description, /^openai /);
  const pending = [
    ollamaClient.chat({ purpose: "plan", messages: [{ role: "user", content: "x" }] }),
    openAiClient.chat({ purpose: "plan", messages: [{ role: "user", content: "x" }] }),
  ];
  await waitFor("both requests to reach their servers", () => ollama.requests.length > 0 && openAi.requests.length > 0);

  // The requests hang forever: close() returns only because it does not wait for them.
  await Promise.all([ollama.close(), openAi.close()]);
  const results = await Promise.all(pending);
  for (const result of results) {
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_UNREACHABLE");
  }
});

test("the scripted OpenAI server refuses streaming requests and records them", async () => {
  const openAi = await startScriptedOpenAi({ respond: () => "never sent" });
  try {
    const response = await fetch(`${openAi.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model: "scripted-gpt", messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    assert.equal(response.status, 400);
    assert.equal(openAi.requests.length, 1);
    assert.equal(openAi.requests[0]!.stream, true);
  } finally {
    await openAi.close();
  }
});
