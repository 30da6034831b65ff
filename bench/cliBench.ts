// `cli_cached_run_vs_plain_node_ratio`: `llmfn run` of a stored workflow in a 200-file workspace
// against the same tools composed by hand in a plain Node script with zod, both timed as whole
// processes, interleaved in the same run. The CLI's bundle cache is warm (one run before timing),
// as it is for every run after the first, and so is the tool host's startup snapshot (built in
// the background after the first run). `tool_host_start_from_snapshot_ratio`: a host's start to
// "ready" from the snapshot against the same host started as a script, interleaved.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { existsSync } from "node:fs";
import { runtimeFiles } from "../src/workspace/packagePaths";
import { SETTINGS } from "../src/workspace/settings/settings";
import { hostProcessOptions, startHostProcess, type HostProcessOptions } from "../src/workspace/toolHost/hostProcess";
import { WorkspaceSession } from "../src/workspace/workspaceSession";
import { queueResponder, startScriptedOllama } from "../test/support/scriptedOllamaServer";
import { repoRoot, settingsFor } from "../test/workspace/workspaceFixtures";
import { BENCH_HOST_MEMORY_MB, median, round2 } from "./benchStats";
import { declaration } from "./workspaceBench";

const FILES = 200;
const ROUNDS = 9;
const INPUT = { a: 3, b: 4 };
const run = promisify(execFile);

const functionFile = `import { llmFunction } from "llm-function";
import { z } from "zod";

export const addTwice = llmFunction({
  name: "add_twice",
  description: "Add a and b with tool number 1, then add that sum and b again with tool number 2; return the total.",
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ total: z.number() }),
  tests: [{ input: { a: 3, b: 4 }, expected: { total: 14 } }],
});
`;

/** The same two tools and the same composition, written by hand: zod at every boundary, as the runtime validates. */
const plainScript = `import { z } from "zod";

const tool1 = {
  input: z.object({ a1: z.number(), b1: z.number(), label1: z.string().optional() }),
  output: z.object({ sum1: z.number(), parts1: z.array(z.number()) }),
  handler: (input) => ({ sum1: input.a1 + input.b1 + 1, parts1: [input.a1, input.b1] }),
};
const tool2 = {
  input: z.object({ a2: z.number(), b2: z.number(), label2: z.string().optional() }),
  output: z.object({ sum2: z.number(), parts2: z.array(z.number()) }),
  handler: (input) => ({ sum2: input.a2 + input.b2 + 2, parts2: [input.a2, input.b2] }),
};
const call = async (tool, args) => tool.output.parse(await tool.handler(tool.input.parse(args)));

const input = z.object({ a: z.number(), b: z.number() }).parse(JSON.parse(process.argv[2]));
const first = await call(tool1, { a1: input.a, b1: input.b });
const second = await call(tool2, { a2: first.sum1, b2: input.b });
process.stdout.write(JSON.stringify(z.object({ total: z.number() }).parse({ total: second.sum2 }), null, 2) + "\\n");
`;

const plan = {
  steps: [
    { name: "tool_1", args: { a1: "input.output.a", b1: "input.output.b" } },
    { name: "tool_2", args: { a2: "tool_1.output.sum1", b2: "input.output.b" } },
    { name: "output_model", args: { total: "tool_2.output.sum2" } },
  ],
};

async function timedProcess(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; stdout: string }> {
  const start = performance.now();
  const { stdout } = await run(process.execPath, [file, ...args], { env });
  return { ms: performance.now() - start, stdout };
}

export async function cliBenchmarks(): Promise<Record<string, number>> {
  const root = await mkdtemp(join(tmpdir(), "llmfn-bench-cli-"));
  const server = await startScriptedOllama({
    respond: queueResponder({
      check: [{ json: { justification: "tool_1 then tool_2", decision: true } }],
      plan: [{ json: plan }],
    }),
  });
  try {
    const folder = join(root, "workspace");
    await mkdir(folder);
    await Promise.all(
      Array.from({ length: FILES }, (_, i) => writeFile(join(folder, `decl${i}.llm.ts`), declaration(i))),
    );
    await writeFile(join(folder, "functions.llm.ts"), functionFile);
    const session = await WorkspaceSession.open(
      settingsFor(folder, {
        llm: { type: "ollama", host: server.url, model: "qwen3:8b" },
        toolTimeoutMs: 30_000,
        hostMemoryMb: BENCH_HOST_MEMORY_MB,
      }),
    );
    try {
      const planned = await session.plan("add_twice");
      if (!planned.ok) throw new Error(`bench: planning add_twice failed: ${planned.error.message}`);
    } finally {
      await session.dispose();
    }

    const plainFolder = join(root, "plain");
    await mkdir(join(plainFolder, "node_modules"), { recursive: true });
    await symlink(dirname(require.resolve("zod/package.json")), join(plainFolder, "node_modules", "zod"), "dir");
    const plainFile = join(plainFolder, "plain.mjs");
    await writeFile(plainFile, plainScript);

    const cli = join(repoRoot, "dist", "cli.js");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LLMFN_CACHE_DIR: join(root, "cache"),
      OLLAMA_HOST: "http://127.0.0.1:9",
    };
    // As users run it (the test fixtures this bench shares turn the snapshot off for the tests).
    delete env.LLMFN_HOST_SNAPSHOT;
    const cliArgs = ["run", "add_twice", "--input", JSON.stringify(INPUT), "--workspace", folder];
    const expected = JSON.stringify({ total: 14 });
    // The first run fills the bundle cache; each kind runs once more untimed.
    for (const warm of [0, 1]) {
      const ran = await timedProcess(cli, cliArgs, env);
      if (JSON.stringify(JSON.parse(ran.stdout)) !== expected)
        throw new Error(`bench: llmfn run printed ${ran.stdout} (warm-up ${warm})`);
    }
    await timedProcess(plainFile, [JSON.stringify(INPUT)], env);
    const hostOptions = hostProcessOptions(SETTINGS.memoryMb.default, runtimeFiles(), env);
    await snapshotBuilt(hostOptions);
    const cliRuns: number[] = [];
    const plainRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const viaCli = await timedProcess(cli, cliArgs, env);
      const plain = await timedProcess(plainFile, [JSON.stringify(INPUT)], env);
      if (
        JSON.stringify(JSON.parse(plain.stdout)) !== expected ||
        JSON.stringify(JSON.parse(viaCli.stdout)) !== expected
      )
        throw new Error("bench: the two programs disagree");
      cliRuns.push(viaCli.ms);
      plainRuns.push(plain.ms);
    }
    const fromSnapshot: number[] = [];
    const asScript: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      fromSnapshot.push(await hostStartMs(hostOptions));
      asScript.push(await hostStartMs({ ...hostOptions, snapshot: undefined }));
    }
    return {
      cli_cached_run_vs_plain_node_ratio: round2(median(cliRuns) / median(plainRuns)),
      cli_cached_run_ms: Math.round(median(cliRuns)),
      plain_node_run_ms: Math.round(median(plainRuns)),
      tool_host_start_from_snapshot_ratio: round2(median(fromSnapshot) / median(asScript)),
      tool_host_start_from_snapshot_ms: Math.round(median(fromSnapshot)),
      tool_host_start_as_script_ms: Math.round(median(asScript)),
    };
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
}

/** Waits for the background build the CLI's first runs started (a user's later runs find the blob). */
async function snapshotBuilt(options: HostProcessOptions): Promise<void> {
  const { snapshot } = options;
  if (!snapshot) throw new Error("bench: the tool host snapshot is off here");
  const giveUpAt = Date.now() + 60_000;
  while (!existsSync(snapshot.blob) || existsSync(`${snapshot.blob}.lock`)) {
    if (Date.now() > giveUpAt) throw new Error(`bench: no tool host snapshot at ${snapshot.blob}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function hostStartMs(options: HostProcessOptions): Promise<number> {
  const started = performance.now();
  const host = startHostProcess(options);
  await host.ready;
  const ms = performance.now() - started;
  host.child.kill("SIGKILL");
  await new Promise((resolve) => host.child.once("exit", resolve));
  return ms;
}
