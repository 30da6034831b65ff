import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  contextLengthOf,
  listOllamaModels,
  pullOllamaModel,
  type PullProgress,
} from "../../../src/engine/llm/ollamaModels";
import { nextPullStep, type PullProgressState } from "../../../src/extension/pullProgress";
import { startScriptedOllama, type ScriptedOllama } from "../../support/scriptedOllamaServer";

describe("models on an Ollama host", () => {
  let ollama: ScriptedOllama;
  before(async () => {
    ollama = await startScriptedOllama({
      models: ["qwen3:8b"],
      contextLength: 32768,
      pullable: ["gemma3:4b", "llama3.2"],
      pullStepDelayMs: 0,
    });
  });
  after(() => ollama.close());

  test("the context length is read from model_info under the model's architecture", () => {
    assert.equal(
      contextLengthOf({ model_info: { "general.architecture": "llama", "llama.context_length": 131072 } }),
      131072,
    );
    assert.equal(
      contextLengthOf({
        model_info: { "general.architecture": "gemma3", "gemma3.context_length": 8192, "other.context_length": 1 },
      }),
      8192,
    );
    assert.equal(contextLengthOf({ model_info: {} }), undefined);
    assert.equal(contextLengthOf(null), undefined);
  });

  test("listing gives each model's size and context length", async () => {
    const listed = await listOllamaModels(ollama.url);
    assert.ok(listed.ok);
    assert.deepEqual(listed.value, [
      {
        name: "qwen3:8b",
        sizeBytes: 5_000_000_000,
        contextLength: 32768,
        parameterSize: "8.2B",
        quantization: "Q4_K_M",
      },
    ]);
  });

  test("a pull reports its progress and the model is then on the host", async () => {
    const seen: PullProgress[] = [];
    const pulled = await pullOllamaModel(ollama.url, "gemma3:4b", (p) => seen.push(p));
    assert.ok(pulled.ok, JSON.stringify(pulled));
    assert.equal(seen[0]?.status, "pulling manifest");
    assert.equal(seen.at(-1)?.status, "success");
    assert.ok(seen.some((p) => p.completedBytes === 2_000_000 && p.totalBytes === 4_000_000));
    assert.ok(ollama.models.includes("gemma3:4b"));
  });

  test("a model the registry does not have is an error that says so", async () => {
    const pulled = await pullOllamaModel(ollama.url, "no-such-model", () => undefined);
    assert.ok(!pulled.ok);
    assert.equal(pulled.error.kind, "LLM_HTTP");
    assert.match(pulled.error.message, /file does not exist/);
  });

  test("cancelling stops the download: CANCELLED, and the model is not added", async () => {
    const slow = await startScriptedOllama({ pullable: ["llama3.2"], pullStepDelayMs: 200 });
    try {
      const controller = new AbortController();
      const pulling = pullOllamaModel(
        slow.url,
        "llama3.2",
        (p) => {
          if (p.completedBytes !== undefined) controller.abort();
        },
        controller.signal,
      );
      const pulled = await pulling;
      assert.ok(!pulled.ok);
      assert.equal(pulled.error.kind, "CANCELLED");
      assert.ok(!slow.models.includes("llama3.2:latest"));
    } finally {
      await slow.close();
    }
  });

  test("the notification's bar follows the first sized layer and only moves forward", () => {
    let state: PullProgressState = { percent: 0 };
    const steps = [
      { status: "pulling manifest" },
      { status: "pulling aaa", completedBytes: 250, totalBytes: 1000 },
      { status: "pulling aaa", completedBytes: 750, totalBytes: 1000 },
      { status: "pulling bbb", completedBytes: 500, totalBytes: 1000 },
      { status: "pulling aaa", completedBytes: 500, totalBytes: 1000 },
      { status: "success" },
    ].map((progress) => {
      const step = nextPullStep(state, progress);
      state = step.state;
      return [step.message, step.increment];
    });
    assert.deepEqual(steps, [
      ["pulling manifest", 0],
      ["pulling aaa: 0 MB of 0 MB (25%)", 25],
      ["pulling aaa: 0 MB of 0 MB (75%)", 50],
      ["pulling bbb: 0 MB of 0 MB (50%)", 0],
      ["pulling aaa: 0 MB of 0 MB (50%)", 0],
      ["success", 0],
    ]);
  });
});
