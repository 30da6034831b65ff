import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { setUpWorkspaceFolder } from "../../src/extension/setup/workspaceSetup";
import { parseJsonc } from "../../src/workspace/jsonc";
import { EXAMPLE_DECLARATION } from "../../src/extension/setup/exampleDeclaration";
import { tempFolder } from "../support/tempFolders";

const root = path.resolve(__dirname, "../..");
const sources = {
  sdkTypes: path.join(root, "media/types/llm-function.d.ts"),
  zodPackage: path.join(root, "node_modules/zod"),
};
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
function setupFolder(): Promise<string> {
  return tempFolder("llmfn-setup-");
}

async function typecheck(folder: string, project = "tsconfig.json"): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, "-p", path.join(folder, project)], {
      cwd: folder,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

test("a folder without node_modules type-checks the example after set-up, and catches type errors", async () => {
  const folder = await setupFolder();
  const result = await setUpWorkspaceFolder(folder, sources, { addExample: true });
  assert.equal(result.example, path.join(folder, "example.llm.ts"));
  assert.ok(existsSync(path.join(folder, ".llm-function/types/llm-function/index.d.ts")));
  assert.ok(existsSync(path.join(folder, ".llm-function/types/zod/index.d.ts")));
  const tsconfig = JSON.parse(await readFile(path.join(folder, "tsconfig.json"), "utf8")) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  assert.deepEqual(tsconfig.compilerOptions.paths, {
    "llm-function": ["./.llm-function/types/llm-function/index.d.ts"],
    zod: ["./.llm-function/types/zod/index.d.ts"],
  });
  const clean = await typecheck(folder);
  assert.equal(clean.code, 0, clean.output);

  // The types are real: a handler returning the wrong shape is an error.
  await writeFile(
    path.join(folder, "broken.llm.ts"),
    `import { tool } from "llm-function";\nimport { z } from "zod";\nexport const t = tool({ name: "t", description: "d", input: z.object({ a: z.string() }), output: z.object({ n: z.number() }) }, ({ a }) => ({ n: a }));\n`,
  );
  const broken = await typecheck(folder);
  assert.notEqual(broken.code, 0);
  assert.match(broken.output, /broken\.llm\.ts/);
});

test("an existing tsconfig with comments and a baseUrl gets the paths merged in; the example is not duplicated", async () => {
  const folder = await setupFolder();
  await mkdir(path.join(folder, "src"));
  await writeFile(
    path.join(folder, "tsconfig.json"),
    `{\n  // project settings\n  "compilerOptions": { "strict": true, "baseUrl": "./src", "paths": { "@app/*": ["app/*"] }, },\n  /* files */ "include": ["src"],\n}\n`,
  );
  await writeFile(path.join(folder, "example.llm.ts"), "// mine\n");
  const result = await setUpWorkspaceFolder(folder, sources, { addExample: true });
  assert.equal(result.example, undefined);
  assert.equal(await readFile(path.join(folder, "example.llm.ts"), "utf8"), "// mine\n");
  const read = parseJsonc(await readFile(path.join(folder, "tsconfig.json"), "utf8"));
  assert.ok(read.ok);
  const tsconfig = read.value as {
    compilerOptions: { strict: boolean; paths: Record<string, string[]> };
    include: string[];
  };
  assert.equal(tsconfig.compilerOptions.strict, true);
  assert.deepEqual(tsconfig.include, ["src"]);
  assert.deepEqual(tsconfig.compilerOptions.paths["@app/*"], ["app/*"]);
  assert.deepEqual(tsconfig.compilerOptions.paths["llm-function"], ["../.llm-function/types/llm-function/index.d.ts"]);
});

test("without shipped zod types the SDK types are still written and the user is told what to do", async () => {
  const folder = await setupFolder();
  const result = await setUpWorkspaceFolder(folder, { ...sources, zodPackage: undefined }, { addExample: false });
  assert.ok(existsSync(path.join(folder, ".llm-function/types/llm-function/index.d.ts")));
  assert.ok(!existsSync(path.join(folder, ".llm-function/types/zod")));
  assert.match(result.notes.join(" "), /npm install zod/);
  const tsconfig = JSON.parse(await readFile(path.join(folder, "tsconfig.json"), "utf8")) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  assert.deepEqual(Object.keys(tsconfig.compilerOptions.paths), ["llm-function"]);
});

test("the generated example names every tool and function in one style, snake_case", () => {
  const declarations = EXAMPLE_DECLARATION.match(/\b(tool|llmFunction)\(/g) ?? [];
  const names = [...EXAMPLE_DECLARATION.matchAll(/\bname: "([^"]+)"/g)].map((match) => match[1] ?? "");
  assert.equal(names.length, declarations.length, "each declaration names itself");
  for (const name of names) assert.match(name, /^[a-z]+(_[a-z]+)*$/);
});
