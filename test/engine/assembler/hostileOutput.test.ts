import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { purposeOf, type ScriptedReply } from "../../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible } from "../../support/weatherTools";
import { startHarness, type Harness } from "./harness";

const spec = emailWeatherReport.toSpec();
const input = { city: "Paris", email: "a@example.com" };

/** Every way a model can answer badly; each one is repeated forever so the loop must end by its bounds. */
const hostile: Record<string, ScriptedReply> = {
  "fenced JSON with the wrong shape": '```json\n{"plan": "geocode then forecast"}\n```',
  "prose around a list of strings": 'Here you go: ["geocode", "forecast"] hope it helps',
  "wrong types everywhere": { json: { steps: [{ name: 42, args: "lat" }] } },
  "unknown tools": {
    json: {
      steps: [
        { name: "rm_rf", args: {} },
        { name: "output_model", args: { a: 1 } },
      ],
    },
  },
  "self references": {
    json: {
      steps: [
        { name: "geocode", args: { city: "geocode.output.name" } },
        { name: "output_model", args: { messageId: "1.output.name", fahrenheit: 1, summary: "x" } },
      ],
    },
  },
  "prototype references": {
    json: {
      steps: [
        { name: "geocode", args: { city: "input.output.__proto__.polluted" } },
        { name: "forecast", args: { lat: "1.output.constructor.prototype", lon: "{{1.output.__proto__}}" } },
        {
          name: "output_model",
          args: {
            messageId: "0.output.constructor",
            fahrenheit: "2.output.__proto__",
            summary: "{{0.output.prototype}}",
          },
        },
      ],
    },
  },
  "prototype keys": {
    rawBody:
      '{"model":"qwen3:8b","message":{"role":"assistant","content":"{\\"steps\\":[{\\"name\\":\\"geocode\\",\\"args\\":{\\"__proto__\\":{\\"polluted\\":true}}},{\\"name\\":\\"output_model\\",\\"args\\":{\\"constructor\\":{\\"polluted\\":1}}}]}"},"done":true}',
  },
  "a huge answer": `{"steps": [${Array.from({ length: 40_000 }, () => '{"name":"geocode","args":{"city":"x"}}').join(",")}]}`,
  "an empty answer": "",
};

describe("hostile LLM output", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  for (const [name, reply] of Object.entries(hostile)) {
    test(`${name}: the loop ends within its bounds with a typed error and no prototype changes`, async () => {
      h.server.requests.length = 0;
      h.server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : reply));
      const runtime = await h.runtime({
        config: { storagePath: join(h.storage, name.replace(/\W+/g, "-")), maxRetry: 3, resetLoops: 1 },
      });
      const result = await runtime.call(spec, input);
      assert.ok(!result.ok, "garbage must never produce a workflow");
      assert.ok(
        [
          "PLANNING_JSON",
          "PLANNING_HF",
          "PLANNING_MISSOUTPUT",
          "PLANNING_OUTPUT_MODEL",
          "ADAPTOR_JSON",
          "INPUTS",
          "OUTPUTS_FAILURE",
          "OUTPUTS_UNEXPECTED",
          "RUNNER",
        ].includes(result.error.kind),
        `unexpected kind ${result.error.kind}: ${result.error.message}`,
      );
      // 1 check + at most maxRetry planner/adaptor calls per loop, for 2 loops, plus one adaptor call per step at most.
      assert.ok(h.server.requests.length <= 1 + 2 * 3 * 4, `${h.server.requests.length} LLM calls`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf({}), Object.prototype);
      assert.equal(typeof Object.prototype.toString, "function");
    });
  }

  test("a correct plan wrapped in prose and a fence, after thinking, is still read", async () => {
    h.server.setResponder((request) =>
      purposeOf(request) === "check"
        ? `<think>hmm</think> Verdict: ${JSON.stringify(feasible)}`
        : `<think>Let me plan {this}</think>\nHere is the plan:\n\`\`\`json\n${JSON.stringify(correctPlan(), null, 2)}\n\`\`\`\nDone.`,
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "wrapped") } });
    const result = await runtime.call(spec, input);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
  });
});
