import assert from "node:assert/strict";
import { test } from "node:test";
import * as esbuild from "esbuild";

// Activation loads dist/extension.js; the engine, the workspace layer and zod belong in dist/engine.js.
test("the activation bundle holds no zod, engine runtime or workspace layer", async () => {
  const built = await esbuild.build({
    entryPoints: ["src/extension/extension.ts"],
    bundle: true,
    platform: "node",
    format: "cjs",
    external: ["vscode", "esbuild"],
    write: false,
    metafile: true,
    outfile: "activation-check.js",
  });
  const inputs = Object.keys(built.metafile.inputs);
  const heavy = inputs.filter((input) =>
    /node_modules\/(zod|ollama)\/|src\/workspace\/workspaceSession|src\/engine\/(runtime|assembler)\//.test(input),
  );
  assert.deepEqual(heavy, []);
});
