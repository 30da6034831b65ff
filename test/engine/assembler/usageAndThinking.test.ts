import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parseWorkflowFile } from "../../../src/engine/workflow/workflowFileSchema";
import { queueResponder, startScriptedOllama } from "../../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../../support/weatherTools";
import { recordingLogger, startHarness, type Harness } from "./harness";

const spec = emailWeatherReport.toSpec();

describe("usage, thinking and context figures in the planning history", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("each call records tokens, durations, num_ctx and the tools it saw; stats sum them per planning", async () => {
    h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }));
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "usage") } });
    const planned = await runtime.plan(spec);
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    const calls = planned.value.history.filter((r) => r.llm);
    assert.equal(calls.length, 2);
    for (const record of calls) {
      assert.ok((record.llm?.usage?.promptTokens ?? 0) > 0);
      assert.ok((record.llm?.usage?.answerTokens ?? 0) > 0);
      assert.equal(record.llm?.usage?.loadMs, 2);
      assert.ok(record.llm?.usage?.promptMs !== undefined && record.llm.usage.answerMs !== undefined);
      assert.equal(record.llm?.contextTokens, 4096);
      assert.deepEqual(
        record.tools,
        weatherTools.map((t) => t.name),
      );
    }
    const usage = planned.value.stats.usage;
    assert.ok(usage);
    assert.equal(
      usage.promptTokens,
      calls.reduce((total, r) => total + (r.llm?.usage?.promptTokens ?? 0), 0),
    );
    assert.equal(
      usage.answerTokens,
      calls.reduce((total, r) => total + (r.llm?.usage?.answerTokens ?? 0), 0),
    );
    assert.equal(usage.loadMs, 4);
    // The figures survive the file format.
    const reread = parseWorkflowFile(JSON.stringify(planned.value));
    assert.ok(reread.ok, reread.ok ? "" : reread.error);
    assert.deepEqual(reread.value.stats.usage, usage);
  });

  test("thinking is recorded apart from the answer, in both answer shapes, and never parsed as the plan", async () => {
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible, thinking: "Geocode gives coordinates; forecast gives the temperature." }],
        // The shape a server that ignores `format` while thinking sends: reasoning inline, the plan in a fence.
        plan: [
          {
            content: `<think>Start with {"steps": []}? No: geocode first.</think>\nThe plan:\n\`\`\`json\n${JSON.stringify(correctPlan())}\n\`\`\``,
          },
        ],
      }),
    );
    const runtime = await h.runtime({
      config: {
        storagePath: join(h.storage, "thinking"),
        llm: { type: "ollama", host: h.server.url, model: "qwen3:8b", think: "on" },
      },
    });
    const planned = await runtime.plan(spec);
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    assert.ok(planned.value.completed);
    const [check, plan] = planned.value.history.filter((r) => r.llm);
    assert.equal(check?.thinking, "Geocode gives coordinates; forecast gives the temperature.");
    assert.equal(plan?.thinking, 'Start with {"steps": []}? No: geocode first.');
    assert.equal(plan?.ok, true);
  });

  test("a cut prompt is said in the history and the log", async () => {
    const logger = recordingLogger();
    // A host that imposes a 2,048-token window whatever num_ctx says; a padded task outgrows it.
    const server = await startScriptedOllama({
      fixedContext: 2048,
      respond: queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }),
    });
    try {
      const padded = { ...spec, description: `${spec.description} ${"Keep every figure exact. ".repeat(600)}` };
      const runtime = await h.runtime({ host: server.url, logger, config: { storagePath: join(h.storage, "cut") } });
      const planned = await runtime.plan(padded);
      assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
      const warned = planned.value.history.filter((r) => r.llm?.warning);
      assert.ok(warned.length >= 1);
      assert.match(warned[0]?.llm?.warning ?? "", /evaluated only/);
      assert.ok(logger.lines.some((l) => l.level === "warn" && /evaluated only/.test(l.message)));
    } finally {
      await server.close();
    }
  });
});
