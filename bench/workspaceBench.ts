// Workspace-layer benchmarks: discovery against esbuild run as discovery runs it, incremental
// re-discovery, and the cost of crossing into the tool host per call. Needs `npm run build`.
import * as esbuild from "esbuild";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { tool } from "../src/engine/tools/tool";
import { declarationBuildOptions } from "../src/workspace/discovery/declarationBundler";
import { EarlyHost } from "../src/workspace/toolHost/hostProcess";
import { WorkspaceSession } from "../src/workspace/workspaceSession";
import type { WorkspaceSettings } from "../src/workspace/workspaceTypes";
import { settingsFor } from "../test/workspace/workspaceFixtures";
import { BENCH_HOST_MEMORY_MB, median, round2 } from "./benchStats";

const FILES = 200;
/** Per-call samples: the overhead is the difference of two medians, each over this many calls. */
const CALL_SAMPLES = 2000;
/** Medians over several rounds: one cold discovery is a few hundred milliseconds, so noise matters. */
const ROUNDS = 7;

function benchSettings(folder: string, bundleCacheFolder: string | false): WorkspaceSettings {
  return settingsFor(folder, { toolTimeoutMs: 30_000, hostMemoryMb: BENCH_HOST_MEMORY_MB, bundleCacheFolder });
}

/** Every file declares a tool with schemas of its own, as a real workspace would: nothing is shared to cache. */
export function declaration(index: number, suffix = ""): string {
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

/** Median duration of one call, in microseconds, over CALL_SAMPLES calls. */
async function medianCallUs(call: (i: number) => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < CALL_SAMPLES; i++) {
    const start = performance.now();
    await call(i);
    samples.push((performance.now() - start) * 1000);
  }
  return median(samples);
}

export async function workspaceBenchmarks(): Promise<Record<string, number>> {
  const root = await mkdtemp(join(tmpdir(), "llmfn-bench-"));
  try {
    const folder = join(root, "workspace");
    await mkdir(folder);
    const files = Array.from({ length: FILES }, (_, i) => join(folder, `decl${i}.llm.ts`));
    await Promise.all(files.map((file, i) => writeFile(file, declaration(i))));

    // The baseline is esbuild as discovery runs it: the same files in one in-memory CommonJS
    // build, with the same options, the runtime modules left external; warmed up first.
    const plainBuild = () =>
      esbuild.build({
        ...declarationBuildOptions(folder, join(root, "plain"), "cjs"),
        entryPoints: files,
        external: ["llm-function", "zod", "zod/v4"],
      });
    await plainBuild();
    await WorkspaceSession.open(benchSettings(folder, false)).then((session) => session.dispose());
    const esbuildRuns: number[] = [];
    const coldRuns: number[] = [];
    const coldHostAheadRuns: number[] = [];
    const cachedRuns: number[] = [];
    const warmRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      esbuildRuns.push((await timed(plainBuild)).ms);
      // Cold: a new session and an empty bundle cache, as on a first start.
      const bundleCache = join(root, `cache-${round}`);
      const cold = await timed(() => WorkspaceSession.open(benchSettings(folder, bundleCache)));
      coldRuns.push(cold.ms);
      const session = cold.value;
      if (session.discovery.tools.length !== FILES)
        throw new Error(`bench: discovered ${session.discovery.tools.length} of ${FILES} tools`);
      await writeFile(files[7]!, declaration(7, ` + ${round + 1}`));
      warmRuns.push((await timed(() => session.refresh([files[7]!]))).ms);
      await session.dispose();
      // Cold as the CLI and the extension open a folder: the host forked while they load their own code (untimed here).
      const earlyHost = EarlyHost.start(BENCH_HOST_MEMORY_MB);
      if (!earlyHost) throw new Error("bench: the tool host is not built");
      try {
        await earlyHost.ready;
        const hostAhead = await timed(() =>
          WorkspaceSession.open(benchSettings(folder, join(root, `cache-ahead-${round}`)), { earlyHost }),
        );
        coldHostAheadRuns.push(hostAhead.ms);
        const taken = hostAhead.value.toolHostPid === earlyHost.pid;
        const found = hostAhead.value.discovery.tools.length;
        await hostAhead.value.dispose();
        if (!taken) throw new Error("bench: the session started a host of its own instead of the one started ahead");
        if (found !== FILES) throw new Error(`bench: discovered ${found} of ${FILES} tools, host started ahead`);
      } finally {
        earlyHost.discard();
      }
      // A new session over the bundle cache the cold one left: the next start of the extension or CLI.
      const cached = await timed(() => WorkspaceSession.open(benchSettings(folder, bundleCache)));
      cachedRuns.push(cached.ms);
      if (cached.value.discovery.tools.length !== FILES)
        throw new Error(`bench: discovered ${cached.value.discovery.tools.length} of ${FILES} tools from the cache`);
      await cached.value.dispose();
    }

    // Per-call overhead: the same trivial tool in process and through the host.
    const session = await WorkspaceSession.open(benchSettings(folder, false));
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
    for (let i = 0; i < 200; i++) await hosted.invoke({ a1: i, b1: 1 }, {});
    const remoteUs = await medianCallUs((i) => hosted.invoke({ a1: i, b1: 1 }, {}));
    const localUs = await medianCallUs((i) => local.invoke({ a1: i, b1: 1 }, {}));
    await session.dispose();

    const cold = median(coldRuns);
    const esbuildMs = median(esbuildRuns);
    return {
      discovery_cold_vs_esbuild_ratio: round2(cold / esbuildMs),
      discovery_cold_ms: Math.round(cold),
      discovery_cold_host_started_ahead_vs_esbuild_ratio: round2(median(coldHostAheadRuns) / esbuildMs),
      esbuild_same_files_ms: Math.round(esbuildMs),
      discovery_from_bundle_cache_vs_esbuild_ratio: round2(median(cachedRuns) / esbuildMs),
      discovery_warm_vs_cold_ratio: round2(median(warmRuns) / cold),
      tool_host_call_overhead_us: Math.round(remoteUs - localUs),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
