// Workspace-layer benchmarks: discovery against plain esbuild, incremental re-discovery, and the
// cost of crossing into the tool host per call. Needs `npm run build` (dist/toolHost.js, runtime modules).
import * as esbuild from "esbuild";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { tool } from "../src/engine/tools/tool";
import { WorkspaceSession } from "../src/workspace/workspaceSession";
import { settingsFor } from "../test/workspace/workspaceFixtures";

const benchSettings = (folder: string) => settingsFor(folder, { toolTimeoutMs: 30_000, hostMemoryMb: 512 });

const FILES = 200;
const CALLS = 2000;
/** Medians over several rounds: one cold discovery is a few hundred milliseconds, so noise matters. */
const ROUNDS = 7;

/** Every file declares a tool with schemas of its own, as a real workspace would: nothing is shared to cache. */
function declaration(index: number, suffix = ""): string {
  return `import { tool } from "llm-function";
import { z } from "zod";

export const tool${index} = tool(
  {
    name: "tool_${index}",
    description: "Tool number ${index}",
    input: z.object({ a${index}: z.number(), b${index}: z.number(), label${index}: z.string().optional() }),
    output: z.object({ sum${index}: z.number(), parts${index}: z.array(z.number()) }),
  },
  (input) => ({ sum${index}: input.a${index} + input.b${index} + ${index}${suffix}, parts${index}: [input.a${index}, input.b${index}] }),
);
`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function workspaceBenchmarks(): Promise<Record<string, number>> {
  const root = await mkdtemp(join(tmpdir(), "llmfn-bench-"));
  try {
    const folder = join(root, "workspace");
    await mkdir(folder);
    const files = Array.from({ length: FILES }, (_, i) => join(folder, `decl${i}.llm.ts`));
    await Promise.all(files.map((file, i) => writeFile(file, declaration(i))));

    // Plain esbuild: the same files bundled in one build, runtime modules left external.
    const esbuildRuns: number[] = [];
    const coldRuns: number[] = [];
    const warmRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const outdir = join(root, `plain-${round}`);
      esbuildRuns.push(
        (await timed(() => esbuild.build({ entryPoints: files, outdir, bundle: true, format: "esm", platform: "node", target: "node20", external: ["llm-function", "zod"], logLevel: "silent" }))).ms,
      );
      const cold = await timed(() => WorkspaceSession.open(benchSettings(folder)));
      coldRuns.push(cold.ms);
      const session = cold.value;
      if (session.discovery.tools.length !== FILES) throw new Error(`bench: discovered ${session.discovery.tools.length} of ${FILES} tools`);
      await writeFile(files[7]!, declaration(7, ` + ${round + 1}`));
      warmRuns.push((await timed(() => session.refresh([files[7]!]))).ms);
      await session.dispose();
    }

    // Per-call overhead: the same trivial tool in process and through the host.
    const session = await WorkspaceSession.open(benchSettings(folder));
    const hosted = session.runtime.tools.byName("tool_1");
    if (!hosted) throw new Error("bench: tool_1 not discovered");
    const local = tool(
      {
        name: "tool_1",
        description: "Tool number 1",
        input: z.object({ a1: z.number(), b1: z.number(), label1: z.string().optional() }),
        output: z.object({ sum1: z.number(), parts1: z.array(z.number()) }),
      },
      (input) => ({ sum1: input.a1 + input.b1 + 1, parts1: [input.a1, input.b1] }),
    );
    for (let i = 0; i < 100; i++) await hosted.invoke({ a1: i, b1: 1 }, {});
    const remote = await timed(async () => {
      for (let i = 0; i < CALLS; i++) await hosted.invoke({ a1: i, b1: 1 }, {});
    });
    const inProcess = await timed(async () => {
      for (let i = 0; i < CALLS; i++) await local.invoke({ a1: i, b1: 1 }, {});
    });
    await session.dispose();

    const cold = median(coldRuns);
    return {
      discovery_cold_vs_esbuild_ratio: round2(cold / median(esbuildRuns)),
      discovery_warm_vs_cold_ratio: round2(median(warmRuns) / cold),
      tool_host_call_overhead_us: Math.round(((remote.ms - inProcess.ms) / CALLS) * 1000),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
