import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { deepArrayText } from "../support/hostileJson";
import { exampleCopy, llmfn, requireBuilt, root } from "./cliProcess";

// The CLI's edges from issue 9: usage, flags, hostile input and the messages a user sees.

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

  it("lists, shows and runs the good workflows next to a deeply nested one and a FIFO, warning about both", async () => {
    const hostile = await exampleCopy();
    const workflows = join(hostile, ".llm-function", "workflows");
    const [good] = (await readdir(workflows)).filter((name) =>
      name.startsWith("fb09d86865af2a10b32b40500130b7eac12e1f2e9a6a7e44e79bcf174bc3ea4d_"),
    );
    assert.ok(good, "city_forecast's committed workflow");
    const inputId = good.split("_")[0]!;
    // Newer than the good one, so either would be the one used if it were read.
    const deep = `${inputId}_deepdeepdeep_20991231T000000000Z.json`;
    const fifo = `${inputId}_fifofifofifo_20991231T000000001Z.json`;
    const workflow = JSON.parse(await readFile(join(workflows, good), "utf8")) as {
      steps: { args: Record<string, unknown> }[];
    };
    workflow.steps[0]!.args.city = { value: "DEEP" };
    await writeFile(join(workflows, deep), JSON.stringify(workflow).replace('"DEEP"', deepArrayText(5_000)));
    execFileSync("mkfifo", [join(workflows, fifo)]);

    const warned = (stderr: string) => {
      assert.match(stderr, new RegExp(`Skipping workflow file .*${deep}: refused: it is nested more than`));
      assert.match(stderr, new RegExp(`Skipping workflow file .*${fifo}: it is not a regular file`));
      assert.doesNotMatch(stderr, /RangeError|unexpected failure|at .*\.js:\d+/);
    };
    const list = await llmfn(["list", "--json", "--workspace", hostile]);
    assert.equal(list.code, 0, list.stderr);
    warned(list.stderr);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { functions: { status: string }[] }).functions.map((f) => f.status),
      ["ready", "ready", "ready"],
    );
    const show = await llmfn(["show", "city_forecast", "--json", "--workspace", hostile]);
    assert.equal(show.code, 0, show.stderr);
    warned(show.stderr);
    const shown = JSON.parse(show.stdout) as { workflows: { file: string }[] };
    assert.deepEqual(
      shown.workflows.map((w) => w.file),
      [join(workflows, good)],
    );
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", hostile]);
    assert.equal(run.code, 0, run.stderr);
    warned(run.stderr);
    assert.equal((JSON.parse(run.stdout) as { highC: number }).highC, 14);
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
