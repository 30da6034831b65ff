import * as esbuild from "esbuild";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { WorkspaceSession } from "../src/workspace/workspaceSession";
import { queueResponder, startScriptedOllama } from "../test/support/scriptedOllamaServer";
import { correctPlan, feasible } from "../test/support/weatherTools";
import { settingsFor } from "../test/workspace/workspaceFixtures";
import { CALLS, medianRatio, timeCalls } from "./handComposed";
import { plannedWeatherRuntime } from "./weatherRuntime";
import { BENCH_HOST_MEMORY_MB } from "./benchStats";

const run = promisify(execFile);

/**
 * The in-process figure from one esbuild bundle in a child process: tsx compiles each module on
 * its own and routes every import through a getter, a cost the shipped bundles never pay and the
 * single-module baseline would not share.
 */
async function bundledCachedCallRatio(): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), "llmfn-bench-bundle-"));
  try {
    const outfile = join(folder, "cachedCall.js");
    await esbuild.build({
      entryPoints: [join(__dirname, "cachedCallMain.ts")],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      logLevel: "warning",
    });
    const { stdout } = await run(process.execPath, [outfile]);
    const { ratio } = JSON.parse(stdout) as { ratio: number };
    return ratio;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
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
          hostMemoryMb: BENCH_HOST_MEMORY_MB,
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
    const { planned } = await plannedWeatherRuntime(server.url, storagePath);
    const cachedRatio = await bundledCachedCallRatio();
    const hosted = await viaToolHost(server.url);
    return {
      llm_calls_per_clean_plan: planned.stats.llmCalls,
      prompt_chars_per_clean_plan: planned.stats.promptChars,
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
