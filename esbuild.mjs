// Bundles every shipped entry point. `node esbuild.mjs [target...] [--watch] [--production]` builds the named targets only;
// --production (used by `npm run package`) minifies and writes no sourcemaps.
import * as esbuild from "esbuild";

const node = { platform: "node", target: "node20", bundle: true, sourcemap: true, logLevel: "warning" };

/**
 * Leaves zod's translated error messages (`z.locales`, `z.core.locales`: 366 kB, a third of the
 * CLI) out of a bundle whose code never picks a locale; English, zod's default, stays. Declaration
 * files get the whole zod from the runtime modules. Fails the build if zod stops importing them so.
 */
const withoutZodLocales = {
  name: "without-zod-locales",
  setup(build) {
    let replaced = 0;
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) => {
      if (!/[\\/]zod[\\/]v4[\\/](classic|core)[\\/]/.test(importer)) return undefined;
      replaced++;
      return { path: "zod-locales", namespace: "without-zod-locales" };
    });
    build.onLoad({ filter: /.*/, namespace: "without-zod-locales" }, () => ({ contents: "export {};", loader: "js" }));
    build.onEnd((result) => {
      if (replaced === 0 && result.errors.length === 0)
        return {
          errors: [{ text: "zod no longer imports ../locales/index.js: update withoutZodLocales in esbuild.mjs" }],
        };
    });
  },
};

/** The SDK module imports our zod module from its own folder (see the sdk target). */
const zodBeside = {
  name: "zod-beside",
  setup(build) {
    build.onResolve({ filter: /^zod(\/v4)?$/ }, () => ({ path: "./zod.mjs", external: true }));
  },
};

/** Each target is one file a user or VS Code loads. */
const targets = {
  extension: {
    ...node,
    entryPoints: ["src/extension/extension.ts"],
    outfile: "dist/extension.js",
    format: "cjs",
    external: ["vscode", "esbuild"],
  },
  // Loaded by the extension on first use (src/extension/loadEngine.ts), so activation stays small.
  engine: {
    ...node,
    entryPoints: ["src/extension/engineModule.ts"],
    outfile: "dist/engine.js",
    format: "cjs",
    external: ["esbuild"],
  },
  // dist/cli.js is the small start (src/cli/main.ts), which loads dist/cliProgram.js once it has started a run's tool host.
  cli: {
    ...node,
    entryPoints: { cli: "src/cli/main.ts", cliProgram: "src/cli/cliProgram.ts" },
    outdir: "dist",
    format: "cjs",
    external: ["esbuild"],
    banner: { js: "#!/usr/bin/env node" },
    plugins: [withoutZodLocales],
  },
  // The tool host as a script, what its startup snapshot is built from (everything in one file:
  // a snapshot's script can require only Node's own modules), and the snapshot's builder.
  toolHost: {
    ...node,
    entryPoints: {
      toolHost: "src/workspace/toolHost/hostEntry.ts",
      toolHostSnapshot: "src/workspace/toolHost/hostSnapshotEntry.ts",
      toolHostSnapshotBuilder: "src/workspace/toolHost/hostSnapshotBuilderEntry.ts",
    },
    outdir: "dist",
    format: "cjs",
  },
  library: { ...node, entryPoints: ["src/index.ts"], outfile: "dist/lib.js", format: "cjs", external: ["esbuild"] },
  // The modules user declarations import: one zod instance shared by the SDK and the user's code.
  sdk: {
    ...node,
    entryPoints: ["src/sdk/index.ts"],
    outfile: "dist/runtime-modules/llm-function.mjs",
    format: "esm",
    // Our zod beside it, by a relative URL: importable as is, one zod instance with the user's code.
    plugins: [zodBeside],
    minify: true,
  },
  zod: {
    ...node,
    entryPoints: ["src/sdk/zodModule.ts"],
    outfile: "dist/runtime-modules/zod.mjs",
    format: "esm",
    minify: true,
  },
  // In-host integration tests (test/extension-host): run inside VS Code by test-electron or the companion extension.
  extensionTests: {
    ...node,
    entryPoints: ["test/extension-host/suite.ts"],
    outfile: "dist/extension-tests/suite.js",
    format: "cjs",
    external: ["vscode"],
  },
  webview: {
    bundle: true,
    sourcemap: true,
    logLevel: "warning",
    platform: "browser",
    target: "es2022",
    format: "iife",
    entryPoints: ["src/extension/webview/inspectorApp.ts"],
    outfile: "dist/webview/inspector.js",
  },
};

const args = process.argv.slice(2);
const watch = args.includes("--watch");
const production = args.includes("--production");
const names = args.filter((a) => !a.startsWith("--"));
for (const name of names) {
  if (!(name in targets)) throw new Error(`Unknown build target ${name}; known: ${Object.keys(targets).join(", ")}`);
}
const selected = names.length > 0 ? names : Object.keys(targets);
const optionsOf = (name) => (production ? { ...targets[name], minify: true, sourcemap: false } : targets[name]);
if (watch) {
  for (const name of selected) await (await esbuild.context(optionsOf(name))).watch();
} else {
  await Promise.all(selected.map((name) => esbuild.build(optionsOf(name))));
}
