import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { tool } from "../../../src/engine/tools/tool";
import { unusedLoopbackUrl } from "../../support/llmScript";
import { purposeOf, queueResponder } from "../../support/scriptedOllamaServer";
import { startScriptedOpenAi } from "../../support/scriptedOpenAiServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../../support/weatherTools";
import { waitFor } from "../../support/waitFor";
import { recordingLogger, startHarness, type Harness } from "./harness";
import { createRuntime } from "../../../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource, ToolRegistry } from "../../../src/engine/toolRegistry";
import { LlmFunctionError } from "../../../src/engine/errors";

const spec = emailWeatherReport.toSpec();
const input = { city: "Paris", email: "a@example.com" };
const cleanScript = () => queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] });

describe("runtime cache, storage and concurrency", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a workflow planned by one runtime is reused by another through the files, with no LLM reachable", async () => {
    h.server.setResponder(cleanScript());
    const first = await h.runtime();
    assert.ok((await first.plan(spec)).ok);
    const offline = await h.runtime({ host: await unusedLoopbackUrl() });
    assert.equal(await offline.status(spec), "ready");
    const result = await offline.call(spec, input);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.value.reused, true);
    assert.deepEqual(result.value.output, { messageId: "msg-13-16", fahrenheit: 64, summary: "Paris: 64°F, cloudy" });
  });

  test("a typed callable bound to a runtime returns the typed output and throws LlmFunctionError on bad input", async () => {
    const runtime = await h.runtime();
    const bound = emailWeatherReport.withRuntime(runtime);
    const output = await bound(input);
    assert.equal(output.fahrenheit, 64);
    await assert.rejects(
      bound({ city: "Paris", email: "not-an-email" }),
      (error: unknown) =>
        error instanceof LlmFunctionError && error.kind === "INPUT_VALIDATION" && error.stage === "input",
    );
  });

  test("invalid input is rejected before anything runs or plans", async () => {
    h.server.requests.length = 0;
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "invalid") } });
    const result = await runtime.call(spec, { city: 3 });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "INPUT_VALIDATION");
    assert.equal(h.server.requests.length, 0);
    assert.equal(await runtime.status(spec), "not_planned");
  });

  test("a stored workflow naming a tool whose contract changed is stale and replanned before running", async () => {
    h.server.setResponder(cleanScript());
    const storagePath = join(h.storage, "stale");
    const first = await h.runtime({ config: { storagePath } });
    assert.ok((await first.plan(spec)).ok);
    const changed = tool(
      {
        name: "to_fahrenheit",
        description: "Convert a temperature from Celsius to Fahrenheit, rounded to a whole degree.",
        input: z.object({ celsius: z.number() }),
        output: z.object({ fahrenheit: z.number() }),
      },
      ({ celsius }) => ({ fahrenheit: Math.round(celsius * 1.8 + 32) }),
    );
    const tools = [...weatherTools.filter((t) => t.name !== "to_fahrenheit"), changed];
    const second = await h.runtime({ tools, config: { storagePath } });
    const state = await second.state(spec);
    assert.equal(state.status, "stale");
    assert.match(state.reason ?? "", /to_fahrenheit.*contract/);
    h.server.requests.length = 0;
    h.server.setResponder(cleanScript());
    const result = await second.call(spec, input);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.value.reused, false);
    assert.equal(result.value.workflow.steps[2]?.toolId, changed.id);
    assert.equal(h.server.requests.filter((r) => purposeOf(r) === "plan").length, 1);
    assert.equal((await second.workflows(spec)).length, 2);
  });

  test("force replan skips memory and files and appends a new file", async () => {
    const storagePath = join(h.storage, "force");
    h.server.setResponder(cleanScript());
    const runtime = await h.runtime({ config: { storagePath } });
    assert.ok((await runtime.plan(spec)).ok);
    h.server.setResponder(cleanScript());
    const replanned = await runtime.call(spec, input, { forceReplan: true });
    assert.ok(replanned.ok);
    assert.equal(replanned.value.reused, false);
    assert.equal((await readdir(join(storagePath, "workflows"))).length, 2);
    h.server.setResponder(cleanScript());
    const configured = await h.runtime({ config: { storagePath, forceReplan: true } });
    assert.ok((await configured.call(spec, input)).ok);
    assert.equal((await readdir(join(storagePath, "workflows"))).length, 3);
  });

  test("concurrent calls of the same unplanned function plan once", async () => {
    h.server.requests.length = 0;
    const script = cleanScript();
    h.server.setResponder(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return script(request);
    });
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "concurrent") } });
    const results = await Promise.all(Array.from({ length: 6 }, () => runtime.call(spec, input)));
    assert.ok(results.every((r) => r.ok));
    assert.equal(h.server.requests.length, 2);
    assert.equal((await runtime.workflows(spec)).length, 1);
  });

  test("cancelling while the LLM thinks returns CANCELLED and writes no file", async () => {
    const storagePath = join(h.storage, "cancel");
    h.server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : { hang: true }));
    const runtime = await h.runtime({ config: { storagePath } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await runtime.call(spec, input, { signal: controller.signal });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "CANCELLED");
    await assert.rejects(readdir(join(storagePath, "workflows")));
  });

  test("an unreachable host is a typed error that names the host, and nothing is stored", async () => {
    const host = await unusedLoopbackUrl();
    const runtime = await h.runtime({ host, config: { storagePath: join(h.storage, "unreachable") } });
    const result = await runtime.call(spec, input);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_UNREACHABLE");
    assert.ok(result.error.message.includes(host.replace(/^http:\/\//, "")));
    assert.equal(await runtime.status(spec), "not_planned");
  });

  test("an unknown model says it is not pulled and lists the host's models", async () => {
    const runtime = await createRuntime({
      config: {
        llm: { type: "ollama", host: h.server.url, model: "llama9:70b" },
        storagePath: join(h.storage, "model"),
      },
      sources: [inMemoryToolSource(weatherTools)],
    });
    const result = await runtime.plan(spec);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "LLM_MODEL_NOT_FOUND");
    assert.match(result.error.message, /qwen3:8b/);
  });

  test("corrupt, foreign and future-version files are skipped with a warning", async () => {
    h.server.setResponder(cleanScript());
    const storagePath = join(h.storage, "corrupt");
    const logger = recordingLogger();
    const runtime = await h.runtime({ config: { storagePath }, logger });
    const planned = await runtime.plan(spec);
    assert.ok(planned.ok);
    const dir = join(storagePath, "workflows");
    const id = runtime.inputId(spec);
    await writeFile(join(dir, `${id}_aaaa_29991231T000000000Z.json`), "{ not json");
    await writeFile(
      join(dir, `${id}_bbbb_29991231T000000001Z.json`),
      JSON.stringify({ ...planned.value, formatVersion: 99 }),
    );
    await writeFile(join(dir, "notes.txt"), "hello");
    await writeFile(
      join(dir, `${id}_cccc_29991231T000000002Z.json`),
      JSON.stringify({ ...planned.value, savedAt: "yesterday" }),
    );
    const fresh = await h.runtime({ config: { storagePath }, logger });
    const listed = await fresh.workflows(spec);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.workflow.id, planned.value.id);
    assert.ok(logger.lines.some((l) => l.level === "warn" && /not JSON/.test(l.message)));
    assert.ok(logger.lines.some((l) => l.level === "warn" && /format version 99/.test(l.message)));
    assert.ok(logger.lines.some((l) => l.level === "warn" && /cccc.*savedAt/.test(l.message)));
    assert.ok((await fresh.call(spec, input)).ok);
  });

  test("deleting a workflow file removes it and its cache entry", async () => {
    h.server.setResponder(cleanScript());
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "delete") } });
    assert.ok((await runtime.plan(spec)).ok);
    const [stored] = await runtime.workflows(spec);
    assert.ok(stored);
    assert.ok((await runtime.deleteWorkflow(stored.file)).ok);
    assert.equal(await runtime.status(spec), "not_planned");
    const outside = await runtime.deleteWorkflow(join(h.storage, "..", "etc-passwd.json"));
    assert.ok(!outside.ok && outside.error.kind === "STORAGE");
  });

  test("passing both a registry and sources is a configuration error", async () => {
    await assert.rejects(
      createRuntime({
        config: { llm: { type: "ollama", model: "m" } },
        registry: new ToolRegistry(weatherTools),
        sources: [inMemoryToolSource(weatherTools)],
      }),
      (error: unknown) => error instanceof LlmFunctionError && error.kind === "CONFIG",
    );
    await assert.rejects(
      createRuntime({ config: { llm: { type: "ollama", model: "" } } }),
      (error: unknown) => error instanceof LlmFunctionError && error.kind === "CONFIG",
    );
  });

  test("the OpenAI-compatible backend plans with response_format", async () => {
    const server = await startScriptedOpenAi({ respond: cleanScript() });
    try {
      const runtime = await createRuntime({
        config: { llm: { type: "openai", baseUrl: server.baseUrl, model: "scripted-gpt" } },
        sources: [inMemoryToolSource(weatherTools)],
      });
      const result = await runtime.call(spec, input);
      assert.ok(result.ok, result.ok ? "" : result.error.message);
      assert.equal(server.requests.length, 2);
      assert.ok(server.requests.every((r) => typeof r.format === "object"));
    } finally {
      await server.close();
    }
  });
  test("a caller that cancels leaves the others planning; they get the result and their own progress", async () => {
    h.server.requests.length = 0;
    const script = cleanScript();
    // The LLM answers only once the first caller has left, however long getting there took.
    let answer!: () => void;
    const left = new Promise<void>((resolve) => {
      answer = resolve;
    });
    h.server.setResponder(async (request) => {
      await left;
      return script(request);
    });
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "shared-cancel") } });
    const leaving = new AbortController();
    const stages: string[] = [];
    const first = runtime.call(spec, input, { signal: leaving.signal });
    const second = runtime.call(spec, input, { onProgress: (event) => stages.push(`${event.stage}:${event.status}`) });
    await waitFor("the shared planning asking the LLM", () => h.server.requests.length > 0);
    leaving.abort();
    answer();
    const [cancelled, finished] = await Promise.all([first, second]);
    assert.ok(!cancelled.ok && cancelled.error.kind === "CANCELLED");
    assert.ok(finished.ok, finished.ok ? "" : finished.error.message);
    assert.ok(stages.includes("plan:ok") && stages.includes("save:ok"), stages.join(" "));
    assert.equal(h.server.requests.length, 2, "one planning for both callers");
  });

  test("when every caller cancels, the shared planning stops and writes nothing", async () => {
    const storagePath = join(h.storage, "shared-abort");
    h.server.requests.length = 0;
    h.server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : { hang: true }));
    const runtime = await h.runtime({ config: { storagePath } });
    const controllers = [new AbortController(), new AbortController()];
    const calls = controllers.map((controller) => runtime.call(spec, input, { signal: controller.signal }));
    await waitFor("the shared planning waiting for its plan", () =>
      h.server.requests.some((request) => purposeOf(request) !== "check"),
    );
    for (const controller of controllers) controller.abort();
    const results = await Promise.all(calls);
    assert.ok(results.every((r) => !r.ok && r.error.kind === "CANCELLED"));
    // The planning releases its lock once it has stopped, after anything it would write.
    const locks = join(storagePath, "locks");
    await waitFor("the stopped planning's lock to go", () =>
      readdirSync(locks).every((name) => !name.endsWith(".lock")),
    );
    await assert.rejects(readdir(join(storagePath, "workflows")));
    h.server.setResponder(cleanScript());
    assert.ok((await runtime.call(spec, input)).ok, "a later caller plans afresh");
  });

  test("a failed replan leaves the working workflow in service", async () => {
    const storagePath = join(h.storage, "failed-replan");
    h.server.setResponder(cleanScript());
    const runtime = await h.runtime({ config: { storagePath, maxRetry: 1, resetLoops: 0 } });
    const good = await runtime.plan(spec);
    assert.ok(good.ok);
    h.server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : "no plan today"));
    const replanned = await runtime.call(spec, input, { forceReplan: true });
    assert.ok(!replanned.ok && replanned.error.kind === "PLANNING_JSON");
    assert.equal(await runtime.status(spec), "ready");
    const next = await runtime.call(spec, input);
    assert.ok(next.ok, next.ok ? "" : next.error.message);
    assert.equal(next.value.workflow.id, good.value.id);
    assert.equal((await runtime.workflows(spec)).length, 2, "the failed attempt is kept for review");
  });

  test("reconcileWithStorage makes a runtime see workflow files written or deleted behind it, and keeps its own", async () => {
    const storagePath = join(h.storage, "reconcile");
    h.server.setResponder(cleanScript());
    const mine = await h.runtime({ config: { storagePath } });
    const first = await mine.call(spec, input);
    assert.ok(first.ok);
    await mine.reconcileWithStorage();
    h.server.requests.length = 0;
    const own = await mine.call(spec, input);
    assert.ok(
      own.ok && own.value.workflow.id === first.value.workflow.id && own.value.reused,
      "its own saved workflow stays in memory, and a second call reuses it",
    );
    h.server.setResponder(cleanScript());
    const other = await h.runtime({ config: { storagePath } });
    const newer = await other.plan(spec, { forceReplan: true });
    assert.ok(newer.ok);
    const stale = await mine.call(spec, input);
    assert.ok(stale.ok && stale.value.workflow.id === first.value.workflow.id, "memory still serves the old one");
    await mine.reconcileWithStorage();
    const fresh = await mine.call(spec, input);
    assert.ok(fresh.ok && fresh.value.workflow.id === newer.value.id);
    const [stored] = await mine.workflows(spec);
    assert.ok(stored);
    await rm(stored.file);
    await mine.reconcileWithStorage();
    const afterDelete = await mine.call(spec, input);
    assert.ok(
      afterDelete.ok && afterDelete.value.workflow.id === first.value.workflow.id,
      "a deleted file is no longer served from memory",
    );
  });

  test("a failed replan reports no lookup to its caller", async () => {
    const storagePath = join(h.storage, "failed-replan-progress");
    h.server.setResponder(cleanScript());
    const runtime = await h.runtime({ config: { storagePath, maxRetry: 1, resetLoops: 0 } });
    assert.ok((await runtime.plan(spec)).ok);
    h.server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : "no plan today"));
    const stages: string[] = [];
    const replanned = await runtime.plan(spec, { forceReplan: true, onProgress: (event) => stages.push(event.stage) });
    assert.ok(!replanned.ok);
    assert.ok(!stages.includes("lookup"), stages.join(" "));
  });
});
