import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { requireBuilt } from "../support/built";
import { deepArrayText } from "../support/hostileJson";
import { tempFolder } from "../support/tempFolders";

// The CLI's edges from issue 9: usage, flags, hostile input and the messages a user sees.

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
/** Nothing listens here: any LLM call fails as unreachable. */
const CLOSED = "http://127.0.0.1:9";

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function llmfn(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OLLAMA_HOST: CLOSED, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function exampleCopy(): Promise<string> {
  const folder = await tempFolder("llmfn-edges-");
  await cp(join(root, "examples", "weather"), folder, { recursive: true });
  return folder;
}

before(requireBuilt);

describe("llmfn usage edges", () => {
  it("with no arguments prints the usage on stderr and exits 2; --help prints it on stdout and exits 0", async () => {
    const bare = await llmfn([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, "");
    assert.match(bare.stderr, /^No command given\.\n\nUsage: llmfn/);
    const help = await llmfn(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: llmfn/);
  });

  it("names an unknown flag in its own words, without Node's advice about '--'", async () => {
    const run = await llmfn(["list", "--bogus"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Unknown option --bogus\.\n/);
    assert.doesNotMatch(run.stderr, /as in '--|"--bogus"/);
    const missing = await llmfn(["run", "f", "--input"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^--input <value> needs a value\.\n/);
  });

  it("accepts only http and https hosts, and refuses empty flags, with exit 2", async () => {
    for (const host of ["ftp://127.0.0.1:11434", "notaurl", ""]) {
      const run = await llmfn(["list", "--host", host, "--workspace", root]);
      assert.equal(run.code, 2, `${host}: ${run.stderr}`);
      assert.match(run.stderr, /--host/);
    }
    const model = await llmfn(["list", "--model", " "]);
    assert.equal(model.code, 2);
    assert.match(model.stderr, /--model must not be empty/);
  });
});

describe("llmfn on hostile input", () => {
  let folder: string;
  before(async () => {
    folder = await exampleCopy();
  });

  it("refuses deeply nested input, inline or from a file, with exit 2 and no stack trace", async () => {
    const deep = `{"city": ${deepArrayText(5_000)}}`;
    await writeFile(join(folder, "deep.json"), deep);
    for (const input of [deep, `@${join(folder, "deep.json")}`]) {
      const run = await llmfn(["run", "city_forecast", "--input", input, "--workspace", folder]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /The input is refused: it is nested more than 128 levels deep/);
      assert.doesNotMatch(run.stderr, /RangeError|at .*\.js:\d+/);
    }
  });

  it("reports a failing tool once, not as 'tool X failed: Tool X failed'", async () => {
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Atlantis"}', "--workspace", folder]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /tool "geocode" failed: Unknown city "Atlantis"/);
    assert.doesNotMatch(run.stderr, /failed: Tool/);
  });

  it("says a workflow is stale, and why, before failing to reach the LLM", async () => {
    const stale = await exampleCopy();
    const places = join(stale, "places.llm.ts");
    await writeFile(places, (await readFile(places, "utf8")).replace('name: "geocode"', 'name: "locate"'));
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", stale]);
    assert.equal(run.code, 1);
    const staleAt = run.stderr.search(
      /stored workflow \w+ is stale \(Step 1 uses tool "geocode", but no tool with id \w+ is available\)/,
    );
    const unreachableAt = run.stderr.search(/Cannot reach Ollama/);
    assert.ok(staleAt >= 0, run.stderr);
    assert.ok(unreachableAt > staleAt, run.stderr);
    assert.match(run.stderr, /The stored workflow is stale \(.*\); replanning it failed: Cannot reach Ollama/);
  });
});
