import assert from "node:assert/strict";
import { readdir, readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { tempFolder } from "../support/tempFolders";
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

  it("keeps the program's compiled code in the cache folder, and a corrupt entry only costs a compile", async () => {
    const folder = await exampleCopy();
    const cacheDir = await tempFolder("llmfn-code-cache-");
    const env = { LLMFN_CACHE_DIR: cacheDir };
    const list = ["list", "--workspace", folder];
    const first = await llmfn(list, { env });
    assert.equal(first.code, 0, first.stderr);
    const entries = await readdir(join(cacheDir, "code"));
    assert.equal(entries.length, 1, entries.join(", "));
    const [entry] = entries;
    assert.match(entry!, /^cliProgram\.js-v\d+\.\d+\.\d+-/);
    const compiled = await readFile(join(cacheDir, "code", entry!));
    assert.ok(compiled.length > 100_000, `${compiled.length} bytes of compiled code`);

    const cached = await llmfn(list, { env });
    assert.equal(cached.code, 0, cached.stderr);
    assert.equal(cached.stdout, first.stdout);

    await writeFile(join(cacheDir, "code", entry!), "not compiled code");
    const afterCorruption = await llmfn(list, { env });
    assert.equal(afterCorruption.code, 0, afterCorruption.stderr);
    assert.equal(afterCorruption.stdout, first.stdout);
    assert.deepEqual(await readdir(join(cacheDir, "code")), [entry]);
    const rewritten = await readFile(join(cacheDir, "code", entry!));
    assert.ok(rewritten.length > 100_000, `the refused entry was not compiled again (${rewritten.length} bytes)`);
  });

  it("compiles the program as usual with the cache off", async () => {
    const folder = await exampleCopy();
    const run = await llmfn(["list", "--workspace", folder], { env: { LLMFN_CACHE_DIR: "off" } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /city_forecast/);
  });
});
