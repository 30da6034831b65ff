// `cached_call_overhead_ratio` in a process of its own, run from one esbuild bundle (see
// engineBench.ts): the engine as users load it (dist/lib.js is such a bundle) against the
// hand-composed baseline compiled in the same bundle. Prints {"ratio": …} on stdout.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queueResponder, startScriptedOllama } from "../test/support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible } from "../test/support/weatherTools";
import { medianRatio } from "./handComposed";
import { plannedWeatherRuntime } from "./weatherRuntime";

async function main(): Promise<void> {
  const server = await startScriptedOllama({
    respond: queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }),
  });
  const storagePath = await mkdtemp(join(tmpdir(), "llmfn-bench-"));
  try {
    const { runtime } = await plannedWeatherRuntime(server.url, storagePath);
    const typed = emailWeatherReport.withRuntime(runtime);
    const ratio = await medianRatio((input) => typed(input as { city: string; email: string }));
    process.stdout.write(`${JSON.stringify({ ratio })}\n`);
  } finally {
    await server.close();
    await rm(storagePath, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
