import assert from "node:assert/strict";
import { test } from "node:test";
import { workflowView } from "../../src/extension/inspector/inspectorModel";
import { stored } from "./fixtures";

test("the planning history carries each call's usage, warning, tools and thinking, and the planning's sum", () => {
  const view = workflowView(
    stored("/w/wf1.json", {
      history: [
        {
          stage: "check",
          loop: 0,
          attempt: 1,
          at: "2025-03-04T10:22:30.000Z",
          ok: true,
          verdict: { decision: true, justification: "ok" },
          llm: {
            calls: 1,
            promptChars: 4000,
            responseChars: 80,
            usage: { promptTokens: 1000, answerTokens: 20, loadMs: 1500, promptMs: 300, answerMs: 400, totalMs: 2300 },
            contextTokens: 4096,
            estimatedPromptTokens: 1340,
            warning: "Ollama evaluated only 400 prompt tokens of about 1340 sent",
          },
          thinking: "Geocode first.",
          tools: ["geocode", "forecast"],
        },
        { stage: "test", loop: 0, attempt: 1, at: "2025-03-04T10:22:31.000Z", ok: true },
      ],
      stats: {
        llmCalls: 1,
        promptChars: 4000,
        retries: 1,
        loops: 1,
        durationMs: 2500,
        usage: { promptTokens: 1000, answerTokens: 20, loadMs: 1500, promptMs: 300, answerMs: 400, totalMs: 2300 },
      },
    }),
  );
  const [check, tested] = view.history;
  assert.equal(
    check?.usage,
    "1000 prompt + 20 answer tokens, load 1500 ms, prompt 300 ms, answer 400 ms, 2300 ms in all · num_ctx 4096",
  );
  assert.match(check?.warning ?? "", /evaluated only 400/);
  assert.equal(check?.thinking, "Geocode first.");
  assert.deepEqual(check?.tools, ["geocode", "forecast"]);
  assert.equal(tested?.usage, undefined, "a step without an LLM call has no usage");
  assert.equal(
    view.usage,
    "1000 prompt + 20 answer tokens, load 1500 ms, prompt 300 ms, answer 400 ms, 2300 ms in all",
  );
});

test("workflows written before usage was recorded show no usage", () => {
  const view = workflowView(stored("/w/old.json"));
  assert.equal(view.usage, undefined);
  assert.ok(view.history.every((entry) => entry.usage === undefined && entry.thinking === undefined));
});
