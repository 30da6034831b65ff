import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRuntime } from "../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../src/engine/toolRegistry";
import { queueResponder, startScriptedOllama } from "../test/support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, forecast, formatReport, geocode, sendEmail, toFahrenheit, weatherInput, weatherOutput, weatherTools } from "../test/support/weatherTools";

const CALLS = 2_000;
const ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The same five tools composed by hand, validating with zod at every boundary as the runtime does. */
async function handComposed(input: unknown): Promise<unknown> {
  const parsedInput = weatherInput.parse(input);
  const call = async <T>(t: { input: { parse(v: unknown): unknown }; output: { parse(v: unknown): unknown }; handler: (i: never, c: object) => unknown }, args: unknown): Promise<T> =>
    t.output.parse(await t.handler(t.input.parse(args) as never, {})) as T;
  const place = await call<{ lat: number; lon: number; name: string }>(geocode, { city: parsedInput.city });
  const weather = await call<{ tempC: number; condition: string }>(forecast, { lat: place.lat, lon: place.lon });
  const converted = await call<{ fahrenheit: number }>(toFahrenheit, { celsius: weather.tempC });
  const report = await call<{ text: string }>(formatReport, { city: place.name, fahrenheit: converted.fahrenheit, condition: weather.condition });
  const mail = await call<{ messageId: string }>(sendEmail, { to: parsedInput.email, subject: `Weather in ${parsedInput.city}`, body: report.text });
  return weatherOutput.parse({ messageId: mail.messageId, fahrenheit: converted.fahrenheit, summary: report.text });
}

async function timeCalls(fn: (input: unknown) => Promise<unknown>): Promise<number> {
  const input = { city: "Paris", email: "a@example.com" };
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) await fn(input);
  return Number(process.hrtime.bigint() - started);
}

/** Figures for the engine: LLM cost of a clean plan and the cost of running a cached workflow. */
export async function engineBenchmarks(): Promise<Record<string, number>> {
  const server = await startScriptedOllama({ respond: queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }) });
  const storagePath = await mkdtemp(join(tmpdir(), "llmfn-bench-"));
  try {
    const runtime = await createRuntime({
      config: { llm: { type: "ollama", host: server.url, model: "qwen3:8b" }, storagePath },
      sources: [inMemoryToolSource(weatherTools)],
    });
    const planned = await runtime.plan(emailWeatherReport.toSpec());
    if (!planned.ok) throw new Error(`bench planning failed: ${planned.error.message}`);
    const typed = emailWeatherReport.withRuntime(runtime);
    const viaRuntime = (input: unknown) => typed(input as { city: string; email: string });
    await timeCalls(viaRuntime);
    await timeCalls(handComposed);
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const runtimeNs = await timeCalls(viaRuntime);
      const handNs = await timeCalls(handComposed);
      ratios.push(runtimeNs / handNs);
    }
    return {
      llm_calls_per_clean_plan: planned.value.stats.llmCalls,
      prompt_chars_per_clean_plan: planned.value.stats.promptChars,
      cached_call_overhead_ratio: Number(median(ratios).toFixed(3)),
    };
  } finally {
    await server.close();
    await rm(storagePath, { recursive: true, force: true });
  }
}
