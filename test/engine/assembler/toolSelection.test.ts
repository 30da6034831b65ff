import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { toolEntry } from "../../../src/engine/assembler/prompts";
import { selectTools } from "../../../src/engine/assembler/toolSelection/selectTools";
import { toJsonSchema } from "../../../src/engine/jsonSchema";
import { cityHighF, cityHighFPlan } from "../../support/cityHighF";
import { contextFaithfulModel } from "../../support/contextFaithfulModel";
import { allowedStepNames } from "../../support/formatGrammar";
import {
  purposeOf,
  queueResponder,
  startScriptedOllama,
  type ScriptedOllama,
} from "../../support/scriptedOllamaServer";
import { LABELLED_TASKS, syntheticCatalog } from "../../support/syntheticCatalog";
import { weatherTools } from "../../support/weatherTools";
import { startHarness, type Harness } from "./harness";

const catalog = syntheticCatalog();

function taskOfLabelled(index: number) {
  const labelled = LABELLED_TASKS[index]!;
  return {
    name: labelled.name,
    description: labelled.description,
    inputSchema: toJsonSchema(z.object(labelled.input)),
    outputSchema: toJsonSchema(z.object(labelled.output)),
  };
}

describe("tool selection", () => {
  test("a catalog that fits the budget is shown whole, in its order", () => {
    const selection = selectTools({ task: taskOfLabelled(0), catalog: weatherTools, budgetChars: 100_000 });
    assert.equal(selection.complete, true);
    assert.deepEqual(
      selection.tools.map((t) => t.name),
      weatherTools.map((t) => t.name),
    );
  });

  test("on the labelled 500-tool set, at least 95% of tasks get every tool they need, within the budget", () => {
    const budgetChars = 13_000;
    const short: string[] = [];
    for (const index of LABELLED_TASKS.keys()) {
      const selection = selectTools({ task: taskOfLabelled(index), catalog, budgetChars });
      assert.equal(selection.complete, false);
      assert.ok(selection.tools.reduce((total, t) => total + toolEntry(t).length + 1, 0) <= budgetChars);
      const names = new Set(selection.tools.map((t) => t.name));
      const missing = LABELLED_TASKS[index]!.needs.filter((name) => !names.has(name));
      if (missing.length > 0) short.push(`${LABELLED_TASKS[index]!.name} lacks ${missing.join(", ")}`);
    }
    assert.ok(LABELLED_TASKS.length >= 30);
    assert.ok(short.length <= LABELLED_TASKS.length * 0.05, short.join("; "));
  });

  test("a task that names a currency (dollars, pounds, USD) is shown the currency tool, whose text names none", () => {
    for (const name of ["product_price_usd", "flight_price_gbp", "balance_in_usd"]) {
      const index = LABELLED_TASKS.findIndex((task) => task.name === name);
      const selection = selectTools({ task: taskOfLabelled(index), catalog, budgetChars: 13_000 });
      assert.ok(
        selection.tools.some((t) => t.name === "convert_currency"),
        name,
      );
    }
  });

  test("type-aware expansion brings in the producer of an input the task never names", () => {
    // The task speaks of sunset and a city; sunrise_sunset needs coordinates, which only geocode_city gives from a city.
    const index = LABELLED_TASKS.findIndex((t) => t.name === "sunset_in_city");
    const names = selectTools({ task: taskOfLabelled(index), catalog, budgetChars: 3_000 }).tools.map((t) => t.name);
    assert.ok(names.includes("sunrise_sunset") && names.includes("geocode_city"), names.join(", "));
  });

  test("embedding similarity lifts a tool the words of the task do not reach", () => {
    const index = LABELLED_TASKS.findIndex((t) => t.name === "shipment_count");
    const target = catalog.find((t) => t.name === "export_receipts_csv")!;
    const without = selectTools({ task: taskOfLabelled(index), catalog, budgetChars: 2_000 }).tools.map((t) => t.name);
    const withEmbedding = selectTools({
      task: taskOfLabelled(index),
      catalog,
      budgetChars: 2_000,
      similarity: new Map(catalog.map((t) => [t.id, t === target ? 0.82 : 0.41])),
    }).tools.map((t) => t.name);
    assert.ok(!without.includes(target.name));
    assert.ok(withEmbedding.includes(target.name));
  });
});

describe("planning over a 500-tool catalog against a context-faithful model", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a clean plan shows a selection: two calls, no cut, under 32,000 prompt characters, the history names the tools seen", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(contextFaithfulModel({ task: cityHighF.toSpec().description, plan: cityHighFPlan }));
    const runtime = await h.runtime({ tools: catalog, config: { storagePath: join(h.storage, "select") } });
    const planned = await runtime.plan(cityHighF.toSpec());
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    assert.ok(planned.value.completed, JSON.stringify(planned.value.lastError));
    assert.equal(planned.value.stats.llmCalls, 2);
    assert.ok(planned.value.stats.promptChars <= 32_000, `${planned.value.stats.promptChars} prompt chars`);
    assert.ok(h.server.requests.every((r) => r.cut === false));
    const seen = planned.value.history.find((r) => r.stage === "plan")?.tools ?? [];
    assert.ok(seen.length > 5 && seen.length < catalog.length, `${seen.length} tools shown`);
    for (const name of ["geocode_city", "weather_forecast", "celsius_to_fahrenheit"])
      assert.ok(seen.includes(name), name);
  });

  test("on a model with an 8k context: the whole catalog is LLM_CONTEXT before anything is sent, the default selection plans", async () => {
    const small = await startScriptedOllama({
      contextLength: 8192,
      respond: contextFaithfulModel({ task: cityHighF.toSpec().description, plan: cityHighFPlan }),
    });
    try {
      const whole = await h.runtime({
        host: small.url,
        tools: catalog,
        config: { storagePath: join(h.storage, "whole"), promptBudgetTokens: 1_000_000 },
      });
      const refused = await whole.plan(cityHighF.toSpec());
      assert.ok(!refused.ok);
      assert.equal(refused.error.kind, "LLM_CONTEXT");
      assert.match(refused.error.message, /check prompt needs about \d+ tokens .* at most 8192 tokens/);
      assert.equal(small.requests.length, 0);

      const selected = await h.runtime({
        host: small.url,
        tools: catalog,
        config: { storagePath: join(h.storage, "selected") },
      });
      const planned = await selected.plan(cityHighF.toSpec());
      assert.ok(
        planned.ok && planned.value.completed,
        planned.ok ? JSON.stringify(planned.value.lastError) : planned.error.message,
      );
      assert.ok(small.requests.every((r) => r.cut === false && r.options.num_ctx === 8192));
    } finally {
      await small.close();
    }
  });

  test("the plan format's tool-name enum is the whole catalog, while the prompt lists only the selection", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(contextFaithfulModel({ task: cityHighF.toSpec().description, plan: cityHighFPlan }));
    const runtime = await h.runtime({ tools: catalog, config: { storagePath: join(h.storage, "format") } });
    assert.ok((await runtime.plan(cityHighF.toSpec())).ok);
    const planCall = h.server.requests.find((r) => purposeOf(r) === "plan");
    assert.ok(planCall);
    assert.deepEqual(
      [...(allowedStepNames(planCall.format) ?? [])].sort(),
      [...catalog.map((t) => t.name), "output_model"].sort(),
    );
    const listed = catalog.filter((t) => planCall.messages.some((m) => m.content.includes(`- ${t.name}:`)));
    assert.ok(listed.length > 5 && listed.length < catalog.length, `${listed.length} tools listed`);
  });

  test("a real catalog tool the planner names without having been shown it is accepted, through Ollama's grammar", async () => {
    h.server.requests.length = 0;
    // km_to_miles is in the catalog but nothing about temperatures ranks it: the model names it
    // from the task alone. Its plan obeys the format as a grammar would, so this passes only if
    // the format lets it name a tool the prompt did not list.
    const plan = structuredClone(cityHighFPlan);
    plan.steps.splice(3, 0, { name: "km_to_miles", args: { km: "weather_forecast.output.lowC" } });
    h.server.setResponder(
      contextFaithfulModel({ task: cityHighF.toSpec().description, plan, guesses: ["km_to_miles"] }),
    );
    const runtime = await h.runtime({ tools: catalog, config: { storagePath: join(h.storage, "unshown") } });
    const planned = await runtime.plan(cityHighF.toSpec());
    assert.ok(
      planned.ok && planned.value.completed,
      planned.ok ? JSON.stringify(planned.value.lastError) : planned.error.message,
    );
    const shown = planned.value.history.find((r) => r.stage === "plan")?.tools ?? [];
    assert.ok(!shown.includes("km_to_miles"));
    assert.ok(planned.value.steps.some((s) => s.tool === "km_to_miles"));
    assert.equal(planned.value.history.filter((r) => r.stage === "plan").length, 1);
  });

  test("a check refused for a tool the selection missed is asked again with a wider selection", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(contextFaithfulModel({ task: cityHighF.toSpec().description, plan: cityHighFPlan }));
    // A budget so small that the first selection misses geocode_city; its double does not.
    const runtime = await h.runtime({
      tools: catalog,
      config: { storagePath: join(h.storage, "widen-check"), promptBudgetTokens: 800 },
    });
    const planned = await runtime.plan(cityHighF.toSpec());
    assert.ok(
      planned.ok && planned.value.completed,
      planned.ok ? JSON.stringify(planned.value.lastError) : planned.error.message,
    );
    const checks = planned.value.history.filter((r) => r.stage === "check");
    assert.deepEqual(
      checks.map((r) => r.verdict?.decision),
      [false, true],
    );
    assert.ok(!checks[0]?.tools?.includes("geocode_city"));
    assert.ok(checks[1]?.tools?.includes("geocode_city"));
  });

  test("after a plan names a tool that does not exist, the next attempt sees a wider selection", async () => {
    // A server that ignores the format (Ollama with some thinking models, an OpenAI-compatible
    // one without strict schemas) lets an invented name through: then the selection widens.
    h.server.requests.length = 0;
    const invented = {
      steps: [
        { name: "temperature_service", args: {} },
        { name: "output_model", args: { highF: "temperature_service.output.f" } },
      ],
    };
    h.server.setResponder(
      queueResponder({
        check: [{ json: { justification: "ok", decision: true } }],
        plan: [{ json: invented }, { json: cityHighFPlan }],
      }),
    );
    const runtime = await h.runtime({ tools: catalog, config: { storagePath: join(h.storage, "widen") } });
    const planned = await runtime.plan(cityHighF.toSpec());
    assert.ok(
      planned.ok && planned.value.completed,
      planned.ok ? JSON.stringify(planned.value.lastError) : planned.error.message,
    );
    const plans = planned.value.history.filter((r) => r.stage === "plan");
    assert.equal(plans[0]?.error?.kind, "PLANNING_HF");
    assert.ok(
      (plans[1]?.tools?.length ?? 0) > (plans[0]?.tools?.length ?? 0),
      `${plans[0]?.tools?.length} then ${plans[1]?.tools?.length}`,
    );
  });
});

describe("embeddings for tool selection", () => {
  let server: ScriptedOllama;
  let h: Harness;
  before(async () => {
    server = await startScriptedOllama({ models: ["qwen3:8b", "nomic-embed-text"] });
    h = await startHarness();
  });
  after(async () => {
    await server.close();
    await h.close();
  });

  test("tool vectors are embedded once per tool id and cached on disk; later plannings embed only the task", async () => {
    server.setResponder(contextFaithfulModel({ task: cityHighF.toSpec().description, plan: cityHighFPlan }));
    const storagePath = join(h.storage, "embed");
    const config = {
      storagePath,
      llm: { type: "ollama" as const, host: server.url, model: "qwen3:8b", embeddingModel: "nomic-embed-text" },
    };
    const first = await (await h.runtime({ tools: catalog, config })).plan(cityHighF.toSpec());
    assert.ok(
      first.ok && first.value.completed,
      first.ok ? JSON.stringify(first.value.lastError) : first.error.message,
    );
    const embedded = server.embedRequests.reduce((total, r) => total + r.texts.length, 0);
    assert.equal(embedded, catalog.length + 1);
    assert.deepEqual(await readdir(join(storagePath, "embeddings")), ["nomic-embed-text.json"]);
    const cache = JSON.parse(await readFile(join(storagePath, "embeddings", "nomic-embed-text.json"), "utf8")) as {
      vectors: Record<string, number[]>;
    };
    assert.equal(Object.keys(cache.vectors).length, catalog.length);

    server.embedRequests.length = 0;
    const again = await (await h.runtime({ tools: catalog, config: { ...config, forceReplan: true } })).plan(
      cityHighF.toSpec(),
    );
    assert.ok(again.ok);
    assert.deepEqual(
      server.embedRequests.map((r) => r.texts.length),
      [1],
    );
  });
});
