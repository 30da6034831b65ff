import assert from "node:assert/strict";
import * as esbuild from "esbuild";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DeclarationBundler, declarationBuildOptions } from "../../src/workspace/discovery/declarationBundler";
import { runtimeFiles } from "../../src/workspace/packagePaths";
import {
  makeSharedHelpers,
  SHARED_HELPERS,
  SHARED_HELPERS_LOCAL,
  shareBundleHelpers,
} from "../../src/workspace/toolHost/sharedBundleHelpers";
import { tempFolder } from "../support/tempFolders";

/** Sources that make esbuild print every shared helper: an ES module, a CommonJS dependency, a re-export of an external. */
const SOURCES = {
  "dep.cjs": "module.exports = { x: 1 };\n",
  "entry.llm.ts": `import dep from "./dep.cjs";
import * as ns from "./dep.cjs";
export * from "zod";
export const z = dep.x + (ns as { x: number }).x;
export const text = "var __defProp=Object.defineProperty;";
`,
};

/** The bundle esbuild makes of the sources as discovery has it make them, with the prelude's line as esbuild leaves it. */
async function bundled(): Promise<string> {
  const folder = await tempFolder("helpers-");
  for (const [name, text] of Object.entries(SOURCES)) await writeFile(join(folder, name), text);
  const built = await esbuild.build({
    ...declarationBuildOptions(folder, join(folder, "out"), "cjs"),
    entryPoints: [join(folder, "entry.llm.ts")],
    external: ["zod"],
  });
  const output = built.outputFiles.find((o) => o.path.endsWith(".cjs"));
  assert.ok(output, "esbuild made a bundle");
  return output.text;
}

/** The declarations at the head of a bundle's second line, by name. */
function leadingDeclarations(code: string): Map<string, string> {
  const line = code.split("\n")[1] ?? "";
  const found = new Map<string, string>();
  for (const [name, value] of SHARED_HELPERS) {
    const text = `var ${name}=${value};`;
    const at = line.indexOf(`var ${name}=`);
    if (at >= 0) found.set(name, line.startsWith(text, at) ? text : line.slice(at, at + text.length));
  }
  return found;
}

describe("esbuild's helpers shared by the tool host", () => {
  it("are printed by the esbuild in use exactly as the host defines them", async () => {
    const code = await bundled();
    const printed = leadingDeclarations(code);
    assert.deepEqual(
      [...printed.keys()],
      SHARED_HELPERS.map(([name]) => name),
      "the sample makes esbuild print every shared helper",
    );
    for (const [name, value] of SHARED_HELPERS) assert.equal(printed.get(name), `var ${name}=${value};`, name);
  });

  it("are taken from the host in a bundle, every column of the line staying where it was", async () => {
    const code = await bundled();
    const from = code.indexOf("\n") + 1;
    const shared = shareBundleHelpers(code, from);
    assert.equal(shared.length, code.length);
    assert.deepEqual(
      shared.split("\n").map((line) => line.length),
      code.split("\n").map((line) => line.length),
    );
    for (const [name, value] of SHARED_HELPERS) {
      if (`var ${name}=${value};`.length >= `var ${name}=${SHARED_HELPERS_LOCAL}.${name};`.length)
        assert.ok(shared.includes(`var ${name}=${SHARED_HELPERS_LOCAL}.${name};`), `${name} is the host's`);
    }
    assert.ok(shared.includes("var __create=Object.create;"), "a declaration shorter than its rewriting stays");
    assert.ok(shared.includes('"var __defProp=Object.defineProperty;"'), "user code that looks like a helper stays");
    const last = SHARED_HELPERS.at(-1)!;
    const end = code.indexOf(`var ${last[0]}=${last[1]};`) + `var ${last[0]}=${last[1]};`.length;
    assert.equal(shared.slice(end), code.slice(end), "the code after the helpers is untouched");
  });

  it("are what discovery's bundles take: the prelude binds them and the declarations read them", async () => {
    const folder = await tempFolder("helpers-");
    for (const [name, text] of Object.entries(SOURCES)) await writeFile(join(folder, name), text);
    const bundler = new DeclarationBundler(folder, join(folder, "out"), runtimeFiles());
    const [outcome] = await bundler.bundleAll([join(folder, "entry.llm.ts")]);
    const [prelude = "", code = ""] = (outcome?.bundle?.code ?? "").split("\n");
    assert.match(
      prelude,
      new RegExp(`${SHARED_HELPERS_LOCAL} = globalThis\\[Symbol\\.for\\("llm-function\\.bundleHelpers"\\)\\]`),
    );
    assert.ok(
      code.startsWith(`var __create=Object.create;var __defProp=${SHARED_HELPERS_LOCAL}.__defProp;`),
      code.slice(0, 120),
    );
    assert.ok(code.includes(`var __toCommonJS=${SHARED_HELPERS_LOCAL}.__toCommonJS;`));
  });

  it("are frozen: a declaration cannot change them under the bundles loaded after it", () => {
    assert.ok(Object.isFrozen(makeSharedHelpers()));
  });

  it("behave as esbuild's own once made by the host", () => {
    const helpers = makeSharedHelpers() as Record<string, (...args: unknown[]) => unknown>;
    const exported: Record<string, unknown> = {};
    helpers.__export?.(exported, { a: () => 1 });
    const common = helpers.__toCommonJS?.(exported) as Record<string, unknown>;
    assert.equal(common.__esModule, true);
    assert.equal(common.a, 1);
    const esm = helpers.__toESM?.({ x: 2 }) as Record<string, unknown>;
    assert.deepEqual(esm.default, { x: 2 });
    assert.equal(esm.x, 2);
  });

  it("leave a bundle alone that does not start with them", () => {
    const code = '"use strict";var __defProp=Object.defineProperty;';
    assert.equal(shareBundleHelpers(code, 0), code);
  });
});
