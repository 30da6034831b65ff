import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  chooseContextSize,
  CONTEXT_SIZES,
  estimatePromptTokens,
  looksCut,
} from "../../../src/engine/llm/contextWindow";
import type { ChatMessage } from "../../../src/engine/llm/llmClient";
import { createOllamaClient } from "../../../src/engine/llm/ollamaClient";
import {
  fitToWindow,
  OLLAMA_DEFAULT_CONTEXT,
  startScriptedOllama,
  type ScriptedOllama,
} from "../../support/scriptedOllamaServer";

const format = { type: "object", properties: { steps: { type: "array" } }, required: ["steps"] };

/** A prompt of about `chars` characters: a system message, a long user message, a short last instruction. */
function promptOf(chars: number, marker = "TASK-START"): ChatMessage[] {
  return [
    { role: "system", content: "You plan workflows." },
    { role: "user", content: `${marker} ${"tool_name: does things with fields. ".repeat(Math.ceil(chars / 36))}` },
    { role: "user", content: "Plan now." },
  ];
}

describe("context sizing against a context-faithful scripted Ollama", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama({ contextLength: 32768 });
  });
  after(() => ollama.close());

  test("each request sets num_ctx to a fixed size that holds the prompt and its answer, keep_alive and think", async () => {
    ollama.setResponder(() => ({ json: { steps: [] } }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const before = ollama.requests.length;
    const small = await client.chat({ purpose: "plan", messages: promptOf(1000), format, timeoutMs: 5000 });
    assert.ok(small.ok, JSON.stringify(small));
    const sent = ollama.requests[before]!;
    assert.equal(sent.options.num_ctx, 4096, "1,000 characters plus 2,048 answer tokens round up to 4,096");
    assert.equal(sent.keepAlive, "5m");
    assert.equal(sent.think, false);
    assert.equal(sent.cut, false);
    assert.equal(small.value.context?.contextTokens, 4096);
    assert.equal(small.value.context?.warning, undefined);

    const large = await client.chat({ purpose: "plan", messages: promptOf(30_000), format, timeoutMs: 5000 });
    assert.ok(large.ok);
    const sentLarge = ollama.requests[before + 1]!;
    assert.equal(sentLarge.options.num_ctx, 16384);
    assert.equal(sentLarge.cut, false, "the whole prompt reached the model");
    assert.ok(CONTEXT_SIZES.includes(sentLarge.options.num_ctx as (typeof CONTEXT_SIZES)[number]));

    // A later small call keeps the larger size: a different num_ctx would reload the model.
    await client.chat({ purpose: "check", messages: promptOf(500), format, timeoutMs: 5000 });
    assert.equal(ollama.requests[before + 2]!.options.num_ctx, 16384);
  });

  test("usage comes from the answer's counters: prompt and answer tokens, load, prompt and answer time", async () => {
    ollama.setResponder(() => ({ json: { steps: ["a", "b"] } }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "plan", messages: promptOf(2000), format, timeoutMs: 5000 });
    assert.ok(result.ok);
    const usage = result.value.usage;
    const promptTokens = usage.promptTokens ?? 0;
    assert.ok(
      promptTokens > 400 && promptTokens <= (result.value.context?.estimatedPromptTokens ?? 0),
      `${promptTokens} tokens`,
    );
    assert.equal(usage.answerTokens, Math.ceil(JSON.stringify({ steps: ["a", "b"] }).length / 4));
    assert.equal(usage.loadMs, 2);
    assert.equal(usage.promptMs, Math.round((promptTokens * 20_000) / 1e6));
    assert.ok(usage.answerMs !== undefined && usage.totalMs >= 0);
  });

  test("a prompt longer than the model's context fails at once with LLM_CONTEXT, before anything is sent", async () => {
    const small = await startScriptedOllama({ contextLength: 4096 });
    try {
      const client = createOllamaClient({ host: small.url, model: "qwen3:8b" });
      const result = await client.chat({ purpose: "plan", messages: promptOf(12_000), format, timeoutMs: 5000 });
      assert.ok(!result.ok);
      assert.equal(result.error.kind, "LLM_CONTEXT");
      assert.equal(result.error.stage, "llm");
      assert.match(result.error.message, /plan prompt needs about \d+ tokens/);
      assert.match(result.error.message, /at most 4096 tokens/);
      assert.match(result.error.message, /promptBudgetTokens|longer context/);
      assert.ok((result.error.details?.neededTokens as number) > 4096);
      assert.equal(small.requests.length, 0, "nothing was sent to be cut");
    } finally {
      await small.close();
    }
  });

  test("a context size set by the user is sent as is, and a prompt it cannot hold is LLM_CONTEXT", async () => {
    ollama.setResponder(() => ({ json: { steps: [] } }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b", contextTokens: 6000 });
    const before = ollama.requests.length;
    const fits = await client.chat({ purpose: "check", messages: promptOf(3000), format, timeoutMs: 5000 });
    assert.ok(fits.ok);
    assert.equal(ollama.requests[before]!.options.num_ctx, 6000);
    const tooBig = await client.chat({ purpose: "plan", messages: promptOf(20_000), format, timeoutMs: 5000 });
    assert.ok(!tooBig.ok);
    assert.equal(tooBig.error.kind, "LLM_CONTEXT");
    assert.match(tooBig.error.message, /contextTokens/);
  });

  test("a host that ignores num_ctx cuts the prompt: the answer says far fewer tokens were evaluated", async () => {
    const fixed = await startScriptedOllama({ fixedContext: 2048 });
    try {
      fixed.setResponder((request) => ({
        json: { steps: [], sawTask: request.seen?.some((m) => m.content.includes("TASK-START")) ?? false },
      }));
      const client = createOllamaClient({ host: fixed.url, model: "qwen3:8b" });
      const result = await client.chat({ purpose: "plan", messages: promptOf(20_000), format, timeoutMs: 5000 });
      assert.ok(result.ok);
      assert.equal(fixed.requests[0]!.cut, true);
      assert.deepEqual(JSON.parse(result.value.content), { steps: [], sawTask: false });
      assert.ok((result.value.usage.promptTokens ?? 0) <= 2048);
      assert.match(result.value.context?.warning ?? "", /evaluated only \d+ prompt tokens of about \d+ sent/);
    } finally {
      await fixed.close();
    }
  });

  test("the scripted host keeps Ollama's behaviour: 2,048 tokens without num_ctx, system and last message kept, then cut from the front", () => {
    const messages = promptOf(20_000);
    const { seen, cut } = fitToWindow(messages, OLLAMA_DEFAULT_CONTEXT);
    assert.equal(cut, true);
    assert.deepEqual(
      seen.map((m) => m.content),
      [messages[0]!.content, messages[2]!.content],
      "the long user message in the middle is dropped whole",
    );
    const single = fitToWindow([{ role: "user", content: `HEAD ${"x".repeat(20_000)} TAIL` }], 2048);
    assert.ok(single.seen[0]!.content.endsWith("TAIL") && !single.seen[0]!.content.includes("HEAD"));
  });

  test("sizing rules: rounded up to fixed sizes, capped by the model, never shrunk within a client", () => {
    const base = { purpose: "plan", model: "m", answerTokens: 2048, override: undefined, previous: undefined };
    assert.deepEqual(chooseContextSize({ ...base, promptTokens: 100, modelLimit: 40960 }), { ok: true, value: 4096 });
    assert.deepEqual(chooseContextSize({ ...base, promptTokens: 7000, modelLimit: 40960 }), { ok: true, value: 16384 });
    assert.deepEqual(chooseContextSize({ ...base, promptTokens: 7000, modelLimit: 10000 }), { ok: true, value: 10000 });
    assert.deepEqual(chooseContextSize({ ...base, promptTokens: 100, modelLimit: 40960, previous: 16384 }), {
      ok: true,
      value: 16384,
    });
    assert.equal(chooseContextSize({ ...base, promptTokens: 9000, modelLimit: 10000 }).ok, false);
    assert.ok(estimatePromptTokens([{ role: "user", content: "x".repeat(3000) }]) >= 1000);
    assert.equal(looksCut(1000, 12_000, 0), true);
    assert.equal(looksCut(3000, 12_000, 0), false);
    assert.equal(looksCut(200, 12_000, 11_000), false, "a prompt cache hit is not a cut");
  });
});

describe("thinking", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama();
  });
  after(() => ollama.close());

  const answer = { steps: [{ name: "geocode", args: {} }] };

  test("think on: Ollama returns the reasoning in its own field; the content stays the JSON answer", async () => {
    ollama.setResponder(() => ({ json: answer, thinking: "First geocode the city, then the forecast." }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b", think: "on" });
    const before = ollama.requests.length;
    const result = await client.chat({ purpose: "plan", messages: promptOf(500), format, timeoutMs: 5000 });
    assert.ok(result.ok);
    assert.equal(ollama.requests[before]!.think, true);
    assert.deepEqual(JSON.parse(result.value.content), answer);
    assert.equal(result.value.thinking, "First geocode the city, then the forecast.");
    assert.equal(ollama.requests[before]!.options.num_ctx, 8192, "thinking gets room of its own in the window");
  });

  test("think off: no reasoning is asked for, and none is returned", async () => {
    ollama.setResponder(() => ({ json: answer, thinking: "never shown" }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const before = ollama.requests.length;
    const result = await client.chat({ purpose: "plan", messages: promptOf(500), format, timeoutMs: 5000 });
    assert.ok(result.ok);
    assert.equal(ollama.requests[before]!.think, false);
    assert.equal(result.value.thinking, undefined);
    assert.deepEqual(JSON.parse(result.value.content), answer);
  });

  test("an effort level is sent as such (gpt-oss)", async () => {
    ollama.setResponder(() => ({ json: answer, thinking: "low effort" }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b", think: "low" });
    const before = ollama.requests.length;
    const result = await client.chat({ purpose: "plan", messages: promptOf(500), format, timeoutMs: 5000 });
    assert.ok(result.ok);
    assert.equal(ollama.requests[before]!.think, "low");
    assert.equal(result.value.thinking, "low effort");
  });

  test("format ignored next to thinking (ollama#14645, #11545): inline <think> and a fenced answer still give the JSON and the reasoning", async () => {
    ollama.setResponder(() => ({
      content: `<think>The forecast needs coordinates.</think>\nHere is the plan:\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``,
    }));
    const client = createOllamaClient({ host: ollama.url, model: "qwen3:8b" });
    const result = await client.chat({ purpose: "plan", messages: promptOf(500), format, timeoutMs: 5000 });
    assert.ok(result.ok);
    assert.equal(result.value.thinking, "The forecast needs coordinates.");
    assert.doesNotMatch(result.value.content, /think/);
    assert.match(result.value.content, /```json/);
  });
});
