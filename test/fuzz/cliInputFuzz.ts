import fc from "fast-check";
import { spawn } from "node:child_process";
import { cp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { silentLogger } from "../../src/engine/logger";
import { parseCliArgs } from "../../src/cli/cliArgs";
import { readInputArg } from "../../src/cli/cliInput";
import { cliWorkspaceSettings, InvalidSettingError } from "../../src/cli/cliSettings";
import { startScriptedOllama, type ScriptedReply } from "../support/scriptedOllamaServer";
import { describeThrown, emptyTally, note, withWatchdog, type FuzzTally } from "./fuzzTally";
import { tempFolder } from "../support/tempFolders";

// Hostile command lines: random flags, values, inputs, hosts and environment, through the CLI's
// own parsing in-process (many), then through real `llmfn` processes (a few). Bad usage is exit
// 2 with a message, never a stack trace; `--json` output is JSON alone.

const repoRoot = join(__dirname, "..", "..");
const cli = join(repoRoot, "dist", "cli.js");

const deepJson = fc
  .integer({ min: 100, max: 20_000 })
  .map((depth) => `{"city": ${"[".repeat(depth)}${"]".repeat(depth)}}`);
const hostileValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.constantFrom(
    "",
    " ",
    "ftp://127.0.0.1:11434",
    "notaurl",
    "javascript:alert(1)",
    "http://[::1",
    "http://exa mple",
    "127.0.0.1:11434",
    "https://x.example/",
    "@/nonexistent/input.json",
    "@",
    "-",
    "--",
  ),
  deepJson,
  fc.json({ maxDepth: 3 }),
);
const token = fc.oneof(
  fc.constantFrom(
    "list",
    "run",
    "plan",
    "show",
    "diff",
    "export",
    "eval",
    "models",
    "verify",
    "help",
    "city_forecast",
    "nope",
    "--json",
    "--force",
    "--verbose",
    "-h",
  ),
  fc
    .constantFrom(
      "--input",
      "--host",
      "--model",
      "--workspace",
      "--format",
      "--out",
      "--runs",
      "--models",
      "--functions",
    )
    .chain((flag) => hostileValue.map((value) => `${flag}=${value}`)),
  fc.string({ maxLength: 12 }).map((name) => `--${name}`),
  fc.string({ maxLength: 12 }).map((name) => `-${name}`),
  hostileValue,
);
const argv = fc.array(token, { maxLength: 6 });
const environment = fc.record({
  OLLAMA_HOST: fc.option(hostileValue, { nil: undefined }),
  LLMFN_MODEL: fc.option(hostileValue, { nil: undefined }),
});

export interface CliInputFuzzOptions {
  seed: number;
  /** Command lines parsed in-process. */
  parsed: number;
  /** Command lines run as real processes. */
  processes: number;
}

export async function fuzzCliInput({ seed, parsed, processes }: CliInputFuzzOptions): Promise<FuzzTally> {
  const tally = emptyTally();
  const folder = await tempFolder("llmfn-fuzz-cli-");
  await cp(join(repoRoot, "examples", "weather"), folder, { recursive: true });
  try {
    for (const [index, [args, env]] of fc.sample(fc.tuple(argv, environment), { seed, numRuns: parsed }).entries()) {
      tally.tried += 1;
      await parseInProcess(tally, args, env, folder, `command line ${index} ${JSON.stringify(args).slice(0, 200)}`);
    }
    await runProcesses(tally, seed, processes, folder);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return tally;
}

async function parseInProcess(
  tally: FuzzTally,
  args: string[],
  env: NodeJS.ProcessEnv,
  folder: string,
  label: string,
): Promise<void> {
  try {
    const parsed = parseCliArgs(args);
    if (parsed.kind !== "args") return;
    if (parsed.args.input !== undefined) await readInputArg(parsed.args.input, folder);
    await cliWorkspaceSettings({ ...parsed.args, workspace: folder }, { ...process.env, ...env }, silentLogger).catch(
      (error: unknown) => {
        if (!(error instanceof InvalidSettingError)) throw error;
      },
    );
  } catch (error) {
    note(tally, "crashes", `${label}: ${describeThrown(error)}`);
  }
}

/** HTTP faults the endpoint answers planning with, in the real processes. */
const FAULTS: ScriptedReply[] = [
  { status: 500, rawBody: "internal error", contentType: "text/plain" },
  { status: 404, rawBody: "404 page not found", contentType: "text/plain" },
  { status: 503, rawBody: "<html>down</html>", contentType: "text/html" },
  { rawBody: "not json" },
  { json: { steps: [] }, cutOff: true },
];

async function runProcesses(tally: FuzzTally, seed: number, count: number, folder: string): Promise<void> {
  let fault = 0;
  const server = await startScriptedOllama({ respond: () => FAULTS[fault++ % FAULTS.length]! });
  try {
    await writeFile(join(folder, "deep.json"), `{"city": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
    const fixed: string[][] = [
      ["plan", "city_forecast", "--force", "--json", "--host", server.url],
      ["plan", "weather_headline", "--force", "--json", "--host", server.url],
      ["run", "city_forecast", "--input", `@${join(folder, "deep.json")}`, "--json"],
      [],
    ];
    const random = fc.sample(argv, { seed: seed + 7, numRuns: Math.max(0, count - fixed.length) });
    for (const args of [...fixed.slice(0, count), ...random]) {
      tally.tried += 1;
      const label = `llmfn ${JSON.stringify(args).slice(0, 200)}`;
      const outcome = await withWatchdog(llmfn([...args, "--workspace", folder]), 60_000);
      if (outcome === "hang") {
        note(tally, "hangs", label);
        continue;
      }
      const { code, stdout, stderr } = outcome.value;
      if (code === null || ![0, 1, 2].includes(code)) note(tally, "crashes", `${label}: exit ${code}`);
      if (/\n\s+at .+:\d+:\d+\)?\n/.test(stderr) || /unexpected failure/.test(stderr))
        note(tally, "crashes", `${label}: a stack trace on stderr: ${stderr.slice(0, 300)}`);
      if (args.includes("--json") && code !== 2 && !isJson(stdout))
        note(tally, "pollution", `${label}: --json stdout is not JSON alone: ${stdout.slice(0, 200)}`);
    }
  } finally {
    await server.close();
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function llmfn(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
