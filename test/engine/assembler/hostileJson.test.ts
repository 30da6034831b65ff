import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { tool } from "../../../src/engine/tools/tool";
import { utcStamp } from "../../../src/engine/storage/workflowStore";
import { purposeOf, queueResponder } from "../../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../../support/weatherTools";
import { deepArrayText } from "../../support/hostileJson";
import { recordingLogger, startHarness, type Harness } from "./harness";

const spec = emailWeatherReport.toSpec();
const input = { city: "Paris", email: "a@example.com" };
const DEEP = deepArrayText(3_000);

/** The correct plan with a deeply nested literal in an argument the tool ignores: it would pass every test. */
function planWithDeepLiteral(): string {
  const plan = correctPlan();
  plan.steps[0]!.args.extra = "__DEEP__";
  return JSON.stringify(plan).replace('"__DEEP__"', DEEP);
}

describe("deeply nested JSON at every edge", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a deep model answer is retried as a bad answer, and the workflow saved is the good one", async () => {
    h.server.setResponder(
      queueResponder({ check: [{ json: feasible }], plan: [planWithDeepLiteral(), { json: correctPlan() }] }),
    );
    const storagePath = join(h.storage, "deep-then-good");
    const runtime = await h.runtime({ config: { storagePath } });
    const planned = await runtime.plan(spec);
    assert.ok(planned.ok, planned.ok ? "" : `${planned.error.kind}: ${planned.error.message}`);
    const refused = planned.value.history.find((record) => record.stage === "plan" && !record.ok);
    assert.equal(refused?.error?.kind, "PLANNING_JSON");
    assert.match(refused?.error?.message ?? "", /nested more than 128 levels/);
    const [file] = await readdir(join(storagePath, "workflows"));
    assert.ok(!(await readFile(join(storagePath, "workflows", file!), "utf8")).includes("[[[[[["));
  });

  test("only deep answers: planning ends with a planning error, never INTERNAL or STORAGE, and plan() resolves", async () => {
    h.server.setResponder((request) =>
      purposeOf(request) === "check"
        ? { json: feasible }
        : purposeOf(request) === "plan"
          ? planWithDeepLiteral()
          : `{"args": ${DEEP}}`,
    );
    const runtime = await h.runtime({
      config: { storagePath: join(h.storage, "only-deep"), maxRetry: 3, resetLoops: 1 },
    });
    const planned = await runtime.plan(spec);
    assert.ok(!planned.ok);
    assert.equal(planned.error.kind, "PLANNING_JSON", planned.error.message);
    const called = await runtime.call(spec, input);
    assert.ok(!called.ok);
    assert.equal(called.error.kind, "PLANNING_JSON");
  });

  test("a deep check answer is an unreadable verdict, asked again", async () => {
    h.server.setResponder(
      queueResponder({
        check: [`{"decision": true, "justification": ${DEEP}}`, { json: feasible }],
        plan: [{ json: correctPlan() }],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "deep-check") } });
    const planned = await runtime.plan(spec);
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    assert.equal(planned.value.history.filter((record) => record.stage === "check").length, 2);
  });

  test("deep function input is INPUT_VALIDATION, before any LLM call", async () => {
    h.server.requests.length = 0;
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "deep-input") } });
    const result = await runtime.call(spec, { city: JSON.parse(DEEP) as unknown, email: "a@example.com" });
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "INPUT_VALIDATION");
    assert.match(result.error.message, /refused: it is nested more than 128 levels deep .*\(at \$\.city\[0\]/);
    assert.equal(h.server.requests.length, 0);
  });

  test("an in-process tool returning deep or cyclic output fails its call as RUNNER, at once", async () => {
    const cyclic: Record<string, unknown> = { lat: 48.85, lon: 2.35, name: "Paris" };
    cyclic.self = cyclic;
    const outputs: Record<string, unknown> = {
      deep: { lat: 48.85, lon: 2.35, name: "Paris", extra: JSON.parse(DEEP) as unknown },
      cyclic,
    };
    for (const [name, output] of Object.entries(outputs)) {
      const hostile = tool(
        {
          name: "geocode",
          description: "Find the coordinates of a city by name.",
          input: z.object({ city: z.string() }),
          output: z.object({ lat: z.number(), lon: z.number(), name: z.string() }),
        },
        () => output as { lat: number; lon: number; name: string },
      );
      const tools = [hostile, ...weatherTools.filter((t) => t.name !== "geocode")];
      h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }));
      const runtime = await h.runtime({
        tools,
        config: { storagePath: join(h.storage, `tool-${name}`), maxRetry: 1, resetLoops: 0 },
      });
      const result = await runtime.call(spec, input);
      assert.ok(!result.ok);
      assert.equal(result.error.kind, "RUNNER", `${name}: ${result.error.message}`);
      assert.match(result.error.message, /returned output that is refused: it is nested more than 128 levels deep/);
    }
  });

  test("a completed workflow file holding a deep literal is skipped with a warning; the good one next to it still runs", async () => {
    h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }));
    const storagePath = join(h.storage, "deep-file");
    const planned = await (await h.runtime({ config: { storagePath } })).plan(spec);
    assert.ok(planned.ok);
    const good = planned.value;
    const later = new Date(Date.parse(good.savedAt) + 60_000);
    const poisoned = {
      ...good,
      id: "deadbeef0001",
      savedAt: later.toISOString(),
      steps: good.steps.map((s, i) => (i === 0 ? { ...s, args: { ...s.args, extra: { value: "__DEEP__" } } } : s)),
    };
    const directory = join(storagePath, "workflows");
    await writeFile(
      join(directory, `${good.inputId}_deadbeef0001_${utcStamp(later)}.json`),
      JSON.stringify(poisoned).replace('"__DEEP__"', DEEP),
    );

    const logger = recordingLogger();
    h.server.setResponder(() => ({ status: 500, error: "no LLM call is expected" }));
    const fresh = await h.runtime({ config: { storagePath }, logger });
    assert.equal(await fresh.status(spec), "ready");
    assert.equal((await fresh.workflows(spec)).length, 1);
    const result = await fresh.call(spec, input);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.value.workflow.id, good.id);
    assert.ok(
      logger.lines.some(
        (line) =>
          line.level === "warn" && /deadbeef0001.*refused: it is nested more than 160 levels/.test(line.message),
      ),
    );
  });

  test("a FIFO, a directory and a symlink leaving the folder, named like workflow files, are skipped without being opened", async () => {
    h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }));
    const storagePath = join(h.storage, "special-files");
    const planned = await (await h.runtime({ config: { storagePath } })).plan(spec);
    assert.ok(planned.ok);
    const directory = join(storagePath, "workflows");
    const name = (id: string, minutes: number) =>
      `${planned.value.inputId}_${id}_${utcStamp(new Date(Date.parse(planned.value.savedAt) + minutes * 60_000))}.json`;
    // A reader that opened the FIFO would wait for a writer forever: the test would never end.
    execFileSync("mkfifo", [join(directory, name("fifo", 1))]);
    await mkdir(join(directory, name("folder", 2)));
    const outside = join(h.storage, "outside.json");
    await writeFile(
      outside,
      await readFile(join(directory, (await readdir(directory)).find((f) => f.includes(planned.value.id))!), "utf8"),
    );
    await symlink(outside, join(directory, name("escape", 3)));

    const logger = recordingLogger();
    const fresh = await h.runtime({ config: { storagePath }, logger });
    assert.equal((await fresh.workflows(spec)).length, 1);
    assert.equal(await fresh.status(spec), "ready");
    const warnings = logger.lines.filter((line) => line.level === "warn").map((line) => line.message);
    assert.ok(warnings.some((w) => /fifo.*not a regular file/.test(w)));
    assert.ok(warnings.some((w) => /folder.*not a regular file/.test(w)));
    assert.ok(warnings.some((w) => /escape.*symbolic link that leaves/.test(w)));
  });
});
