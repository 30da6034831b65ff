import assert from "node:assert/strict";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { cli, exampleCopy, llmfn, requireBuilt } from "./cliProcess";

// dist/cli.js starts a run's tool host before it loads the rest of llmfn (dist/cliProgram.js).

describe("llmfn's start", () => {
  before(requireBuilt);

  it("loads no zod, engine runtime or workspace session before the program", async () => {
    const start = await readFile(cli, "utf8");
    for (const heavy of ["node_modules/zod/", "src/engine/runtime/", "src/workspace/workspaceSession.ts"])
      assert.ok(!start.includes(heavy), `dist/cli.js bundles ${heavy}`);
  });

  it("runs with the tool host's memory limit from the folder's settings", async () => {
    const folder = await exampleCopy();
    await mkdir(join(folder, ".vscode"), { recursive: true });
    await writeFile(join(folder, ".vscode", "settings.json"), '{ "llmFunction.tools.memoryMb": 256 }');
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", folder]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).city, "Paris");
  });

  it("refuses a memory limit the settings schema refuses, with exit 2, though the host started early", async () => {
    const folder = await exampleCopy();
    await mkdir(join(folder, ".vscode"), { recursive: true });
    await writeFile(join(folder, ".vscode", "settings.json"), '{ "llmFunction.tools.memoryMb": 10 }');
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", folder]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Invalid setting llmFunction\.tools\.memoryMb/);
  });

  it("reports an unknown function with exit 2 and stops the host it started", async () => {
    const folder = await exampleCopy();
    const run = await llmfn(["run", "no_such_function", "--input", "{}", "--workspace", folder]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /No LLM function named "no_such_function"/);
  });
});
