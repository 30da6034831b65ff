import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { z } from "zod";
import { createRuntime } from "../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../src/engine/toolRegistry";
import type { DefinedTool } from "../src/engine/tools/tool";
import { WorkspaceSession } from "../src/workspace/workspaceSession";
import { queueResponder, startScriptedOllama } from "../test/support/scriptedOllamaServer";
import {
  correctPlan,
  emailWeatherReport,
  feasible,
  forecast,
  formatReport,
  geocode,
  sendEmail,
  toFahrenheit,
  weatherInput,
  weatherOutput,
  weatherTools,
} from "../test/support/weatherTools";
import { settingsFor } from "../test/workspace/workspaceFixtures";
import { median } from "./benchStats";

const CALLS = 2_000;
const ROUNDS = 7;
const INPUT = { city: "Paris", email: "a@example.com" };

/** One tool call as a careful hand-written program makes it: zod on both sides, awaiting only a handler that returns a promise. */
async function callTool<I extends z.ZodType, O extends z.ZodType>(
  definition: DefinedTool<I, O>,
  args: z.input<I>,
): Promise<z.output<O>> {
  const result = definition.handler(definition.input.parse(args), {});
  return definition.output.parse(result instanceof Promise ? await result : result);
}

/** The same five tools composed by hand, validating with zod at every boundary as the runtime does. */
async function handComposed(input: unknown): Promise<unknown> {
  const parsedInput = weatherInput.parse(input);
  const place = await callTool(geocode, { city: parsedInput.city });
  const weather = await callTool(forecast, { lat: place.lat, lon: place.lon });
  const converted = await callTool(toFahrenheit, { celsius: weather.tempC });
  const report = await callTool(formatReport, {
    city: place.name,
    fahrenheit: converted.fahrenheit,
    condition: weather.condition,
  });
  const mail = await callTool(sendEmail, {
    to: parsedInput.email,
    subject: `Weather in ${parsedInput.city}`,
    body: report.text,
  });
  return weatherOutput.parse({ messageId: mail.messageId, fahrenheit: converted.fahrenheit, summary: report.text });
}

async function timeCalls(fn: (input: unknown) => Promise<unknown>, calls = CALLS): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i += 1) await fn(INPUT);
  return Number(process.hrtime.bigint() - started);
}

/** Median over rounds of (candidate time / baseline time), the two interleaved so load hits both alike. */
async function medianRatio(candidate: (input: unknown) => Promise<unknown>, calls = CALLS): Promise<number> {
  await timeCalls(candidate, calls);
  await timeCalls(handComposed, calls);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const candidateNs = await timeCalls(candidate, calls);
    const handNs = await timeCalls(handComposed, calls);
    ratios.push(candidateNs / handNs);
  }
  return median(ratios);
}

/**
 * The path users take: a workspace whose declaration file exports the same tools and function,
 * run through the session (tool host per step, tracing on, as `llmfn run` and the extension do).
 */
async function viaToolHost(ollamaUrl: string): Promise<{ ratio: number; perCallUs: number }> {
  const folder = await mkdtemp(join(tmpdir(), "llmfn-bench-host-"));
  const session = await (async () => {
    try {
      const source = join(__dirname, "..", "test", "support", "weatherTools");
      await writeFile(
        join(folder, "weather.llm.ts"),
        `export { geocode, forecast, toFahrenheit, formatReport, sendEmail, emailWeatherReport } from ${JSON.stringify(source)};\n`,
      );
      return await WorkspaceSession.open(
        settingsFor(folder, {
          llm: { type: "ollama", host: ollamaUrl, model: "qwen3:8b" },
          toolTimeoutMs: 30_000,
          hostMemoryMb: 512,
        }),
      );
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
  })();
  try {
    const planned = await session.plan("email_weather_report");
    if (!planned.ok) throw new Error(`bench planning through the tool host failed: ${planned.error.message}`);
    const call = async (input: unknown) => {
      const outcome = await session.call("email_weather_report", input, { trace: true });
      if (!outcome.ok) throw new Error(`bench call through the tool host failed: ${outcome.error.message}`);
      return outcome.value.output;
    };
    // Each call crosses into the host five times: fewer calls keep the round as long as the in-process ones.
    const calls = CALLS / 10;
    const ratio = await medianRatio(call, calls);
    const perCallUs = (await timeCalls(call, calls)) / calls / 1000;
    return { ratio, perCallUs };
  } finally {
    await session.dispose();
    await rm(folder, { recursive: true, force: true });
  }
}

/** Figures for the engine: LLM cost of a clean plan and the cost of running a cached workflow. */
export async function engineBenchmarks(): Promise<Record<string, number>> {
  const server = await startScriptedOllama({
    respond: queueResponder({
      check: [{ json: feasible }, { json: feasible }],
      plan: [{ json: correctPlan() }, { json: correctPlan() }],
    }),
  });
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
    const cachedRatio = await medianRatio(viaRuntime);
    const hosted = await viaToolHost(server.url);
    return {
      llm_calls_per_clean_plan: planned.value.stats.llmCalls,
      prompt_chars_per_clean_plan: planned.value.stats.promptChars,
      cached_call_overhead_ratio: round3(cachedRatio),
      cached_call_via_tool_host_ratio: round3(hosted.ratio),
      cached_call_via_tool_host_us: Math.round(hosted.perCallUs),
    };
  } finally {
    await server.close();
    await rm(storagePath, { recursive: true, force: true });
  }
}

function round3(value: number): number {
  return Number(value.toFixed(3));
}
