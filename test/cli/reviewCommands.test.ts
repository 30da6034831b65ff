import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import type { WorkflowFile } from "../../src/engine/workflow/types";
import { requireBuilt } from "../support/built";
import { tempFolder } from "../support/tempFolders";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const run = promisify(execFile);
/** Nothing listens here: these commands must not need any LLM. */
const env = { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" };

async function llmfn(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

before(requireBuilt);

describe("llmfn export --format ts", () => {
  let folder: string;
  before(async () => {
    // A copy of the example where the `llm-function` and `zod` packages resolve as in a user's project.
    folder = await tempFolder("llmfn-eject-");
    await cp(join(root, "examples", "weather"), folder, { recursive: true });
    const sdk = join(folder, "node_modules", "llm-function");
    await mkdir(sdk, { recursive: true });
    // As a published package would: zod is a dependency, not the copy beside our SDK module.
    const shipped = await readFile(join(root, "dist", "runtime-modules", "llm-function.mjs"), "utf8");
    assert.ok(shipped.includes('from"./zod.mjs"'));
    await writeFile(join(sdk, "index.mjs"), shipped.replaceAll('from"./zod.mjs"', 'from"zod"'));
    await writeFile(
      join(sdk, "package.json"),
      JSON.stringify({ name: "llm-function", type: "module", exports: "./index.mjs" }),
    );
    await symlink(join(root, "node_modules", "zod"), join(folder, "node_modules", "zod"), "dir");
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("ejects every function of the example into code that gives the workflow's output on every test case", async () => {
    const listed = JSON.parse((await llmfn(["list", "--json", "--workspace", folder])).stdout) as {
      functions: { name: string; exportName?: string; tests: number }[];
    };
    const declarations = (await import(join(root, "examples", "weather", "functions.llm.ts"))) as Record<
      string,
      { functionName: string; tests: { input: unknown; expected: unknown }[] }
    >;
    let cases = 0;
    for (const fn of listed.functions) {
      const exported = await llmfn([
        "export",
        fn.name,
        "--format",
        "ts",
        "--workspace",
        folder,
        "--out",
        join(folder, `${fn.name}.ejected.ts`),
      ]);
      assert.equal(exported.code, 0, exported.stderr);
      const source = await readFile(join(folder, `${fn.name}.ejected.ts`), "utf8");
      assert.doesNotMatch(source, /createRuntime|ollama/i, "the ejected code uses no runtime and no LLM");
      const declaration = Object.values(declarations).find((d) => d.functionName === fn.name);
      assert.ok(declaration, `declaration of ${fn.name}`);
      assert.ok(declaration.tests.length > 0);
      // The ejected function, run for real by tsx in its own process.
      const functionName = /export async function (\w+)/.exec(source)?.[1];
      assert.ok(functionName);
      await writeFile(
        join(folder, `${fn.name}.driver.mts`),
        `import { ${functionName} } from "./${fn.name}.ejected";\n` +
          `const inputs = ${JSON.stringify(declaration.tests.map((t) => t.input))};\n` +
          `const outputs = [];\nfor (const input of inputs) outputs.push(await ${functionName}(input));\n` +
          `process.stdout.write(JSON.stringify(outputs));\n`,
      );
      const ejected = await run(join(root, "node_modules", ".bin", "tsx"), [`${fn.name}.driver.mts`], {
        cwd: folder,
        env,
      });
      const ejectedOutputs = JSON.parse(ejected.stdout) as unknown[];
      for (const [index, test] of declaration.tests.entries()) {
        const viaWorkflow = await llmfn(["run", fn.name, "--input", JSON.stringify(test.input), "--workspace", folder]);
        assert.equal(viaWorkflow.code, 0, viaWorkflow.stderr);
        assert.deepEqual(ejectedOutputs[index], JSON.parse(viaWorkflow.stdout), `${fn.name} case ${index + 1}`);
        assert.deepEqual(ejectedOutputs[index], test.expected);
        cases += 1;
      }
    }
    assert.equal(cases, 7);
  });
});

describe("llmfn export --format mermaid|markdown and diff", () => {
  let folder: string;
  before(async () => {
    folder = await tempFolder("llmfn-review-");
    await cp(join(root, "examples", "weather"), folder, { recursive: true });
  });
  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("prints a Mermaid graph whose edges follow the references", async () => {
    const result = await llmfn(["export", "weather_headline", "--format", "mermaid", "--workspace", folder]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^flowchart TD/);
    assert.match(result.stdout, /s1 -->\|"\{\{name\}\} → query"\| s2/);
    assert.match(result.stdout, /s2 -->\|"results\[0\]\.title → headline<br\/>results\[0\]\.url → url"\| s3/);
  });

  it("refuses an unknown format and a missing one as bad usage", async () => {
    assert.equal((await llmfn(["export", "weather_headline", "--format", "pdf", "--workspace", folder])).code, 2);
    assert.equal((await llmfn(["export", "weather_headline", "--workspace", folder])).code, 2);
  });

  it("compares the two newest workflows of a function", async () => {
    const dir = join(folder, ".llm-function", "workflows");
    const shown = JSON.parse((await llmfn(["show", "city_forecast", "--json", "--workspace", folder])).stdout) as {
      workflows: { file: string }[];
    };
    assert.equal(shown.workflows.length, 1);
    const original = JSON.parse(await readFile(shown.workflows[0]!.file, "utf8")) as WorkflowFile;
    // A later planning that reads the Fahrenheit figure from a template instead of the converter.
    const replanned: WorkflowFile = {
      ...original,
      id: "0123456789ab",
      savedAt: "2099-01-01T09:00:00.000Z",
      steps: [
        original.steps[0]!,
        original.steps[1]!,
        { id: 3, tool: "output_model", args: { ...original.steps[3]!.args, highF: { value: 57.2 } } },
      ],
    };
    await writeFile(join(dir, `${original.inputId}_0123456789ab_20990101T090000000Z.json`), JSON.stringify(replanned));

    const text = await llmfn(["diff", "city_forecast", "--workspace", folder]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /- 3 celsius_to_fahrenheit/);
    assert.match(text.stdout, /highF: celsius_to_fahrenheit\.output\.fahrenheit → 57\.2/);

    const json = await llmfn([
      "diff",
      "city_forecast",
      original.id.slice(0, 6),
      "0123456789ab",
      "--json",
      "--workspace",
      folder,
    ]);
    assert.equal(json.code, 0, json.stderr);
    const diff = JSON.parse(json.stdout) as { changed: boolean; steps: { change: string; tool: string }[] };
    assert.equal(diff.changed, true);
    assert.deepEqual(
      diff.steps.map((s) => s.change),
      ["unchanged", "unchanged", "removed", "changed"],
    );

    const unknown = await llmfn(["diff", "city_forecast", "ffffff", "--workspace", folder]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No stored workflow "ffffff"/);
  });

  it("warns when the exported workflow no longer matches the tools", async () => {
    const file = join(folder, "weather.llm.ts");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace("Weather forecast at coordinates", "Forecast at coordinates"),
    );
    const result = await llmfn(["export", "city_forecast", "--format", "markdown", "--workspace", folder]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /warning: city_forecast is stale/);
    assert.match(result.stdout, /### `city_forecast`: workflow 0123456789ab/);
  });
});
