import * as esbuild from "esbuild";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { sha256 } from "../../engine/hash";
import type { RuntimeFiles } from "../packagePaths";
import type { DeclarationDiagnostic } from "../workspaceTypes";

/** One declaration file turned into a loadable ES module, or the reasons it could not be. */
export interface BundleOutcome {
  file: string;
  /** Absent when the file did not compile. */
  bundlePath?: string;
  /** Every source file the bundle was built from (absolute), to know when to rebuild. */
  inputs: string[];
  diagnostics: DeclarationDiagnostic[];
}

const RUNTIME_MODULE = /^(llm-function(\/.*)?|zod|zod\/v4)$/;
const REQUIRES_RUNTIME_MODULE = /\brequire\s*\(\s*["'](?:llm-function|zod)(?:\/[^"']*)?["']\s*\)/;
const SKIP_PLUGIN = "llmfn-skip";

/**
 * Bundles each declaration file on its own (TS, ESM or CommonJS) into a cache folder.
 * `llm-function` and `zod` are not copied into the bundles: they are imported from shared
 * modules, so every bundle in the tool host uses one SDK and one zod instance (the
 * workspace's own zod when it has one, else ours). CommonJS files that `require()` them get
 * both inlined instead, still one zod per bundle.
 */
export class DeclarationBundler {
  private readonly sharedSdk = new Map<string, Promise<string>>();

  constructor(
    private readonly folder: string,
    private readonly cacheDir: string,
    private readonly runtime: RuntimeFiles,
  ) {}

  async bundle(file: string): Promise<BundleOutcome> {
    let source: string;
    try {
      source = await readFile(file, "utf8");
    } catch (error) {
      return { file, inputs: [file], diagnostics: [fileDiagnostic(file, `Cannot read the file: ${(error as Error).message}`)] };
    }
    const inline = REQUIRES_RUNTIME_MODULE.test(source) || /\.c[jt]s$/.test(file);
    const outfile = join(this.cacheDir, `${sha256(file).slice(0, 16)}.mjs`);
    const fileUrl = pathToFileURL(file).href;

    let result: esbuild.BuildResult<{ write: false; metafile: true }>;
    try {
      result = await esbuild.build({
        entryPoints: [file],
        absWorkingDir: this.folder,
        outfile,
        bundle: true,
        write: false,
        metafile: true,
        format: "esm",
        platform: "node",
        target: "node20",
        sourcemap: "inline",
        logLevel: "silent",
        // The bundle runs from the cache folder: keep CommonJS globals and relative requires pointing at the source.
        define: {
          __filename: JSON.stringify(file),
          __dirname: JSON.stringify(dirname(file)),
          "import.meta.url": JSON.stringify(fileUrl),
        },
        banner: { js: `import { createRequire as __llmfnCreateRequire } from "node:module"; const require = __llmfnCreateRequire(${JSON.stringify(fileUrl)});` },
        plugins: [
          runtimeModulesPlugin({
            inline,
            // The workspace's own zod as seen from the file, else the copy shipped with us.
            zod: async (build) => {
              const found = await build.resolve("zod", { resolveDir: dirname(file), kind: "import-statement", pluginData: SKIP_PLUGIN });
              return found.errors.length === 0 && found.path ? found.path : this.runtime.zodModule;
            },
            sdk: async (zodTarget) => (inline ? this.runtime.sdkModule : this.sdkFor(zodTarget)),
          }),
        ],
      });
    } catch (failure) {
      const errors = (failure as esbuild.BuildFailure).errors ?? [];
      const diagnostics = errors.length > 0 ? errors.map((e) => messageDiagnostic(this.folder, file, e)) : [fileDiagnostic(file, String(failure))];
      return { file, inputs: inputsOfErrors(this.folder, file, errors), diagnostics };
    }

    const output = result.outputFiles.find((o) => o.path.endsWith(".mjs"));
    const inputs = Object.keys(result.metafile.inputs)
      .filter((p) => !p.includes(":"))
      .map((p) => resolve(this.folder, p));
    if (!output) return { file, inputs, diagnostics: [fileDiagnostic(file, "esbuild produced no output for this file.")] };
    // Named by content: an unchanged bundle keeps its module URL, so the host need not reload it.
    const bundlePath = join(this.cacheDir, `${sha256(file).slice(0, 16)}-${sha256(output.text).slice(0, 12)}.mjs`);
    await writeFile(bundlePath, output.text);
    const warnings = result.warnings.map((w) => ({ ...messageDiagnostic(this.folder, file, w), severity: "warning" as const }));
    return { file, bundlePath, inputs, diagnostics: warnings };
  }

  /** The SDK module importing exactly `zodTarget`, built once per zod. */
  private sdkFor(zodTarget: string): Promise<string> {
    let built = this.sharedSdk.get(zodTarget);
    if (!built) {
      built = (async () => {
        const outfile = join(this.cacheDir, `llm-function-${sha256(zodTarget).slice(0, 12)}.mjs`);
        await mkdir(this.cacheDir, { recursive: true });
        await esbuild.build({
          entryPoints: [this.runtime.sdkModule],
          outfile,
          bundle: true,
          format: "esm",
          platform: "node",
          target: "node20",
          logLevel: "silent",
          plugins: [runtimeModulesPlugin({ inline: false, zod: async () => zodTarget, sdk: async () => this.runtime.sdkModule })],
        });
        return outfile;
      })();
      this.sharedSdk.set(zodTarget, built);
    }
    return built;
  }
}

interface RuntimeModuleTargets {
  inline: boolean;
  zod(build: esbuild.PluginBuild): Promise<string>;
  sdk(zodTarget: string): Promise<string>;
}

function runtimeModulesPlugin(targets: RuntimeModuleTargets): esbuild.Plugin {
  return {
    name: "llm-function-runtime-modules",
    setup(build) {
      let zodTarget: Promise<string> | undefined;
      const zod = () => (zodTarget ??= targets.zod(build));
      build.onResolve({ filter: RUNTIME_MODULE }, async (args) => {
        if (args.pluginData === SKIP_PLUGIN) return undefined;
        const isSdk = args.path.startsWith("llm-function");
        if (isSdk && args.path !== "llm-function") {
          return { errors: [{ text: `"${args.path}" is not a module of llm-function; import from "llm-function".` }] };
        }
        const target = isSdk ? await targets.sdk(await zod()) : await zod();
        if (targets.inline) return { path: target };
        if (args.kind === "require-call") {
          return { errors: [{ text: `require("${args.path}") is only supported in the declaration file itself; use import in helper modules.` }] };
        }
        return { path: pathToFileURL(target).href, external: true };
      });
    },
  };
}

function messageDiagnostic(folder: string, file: string, message: esbuild.Message): DeclarationDiagnostic {
  const location = message.location;
  return {
    severity: "error",
    message: message.text,
    location: location
      ? { file: resolve(folder, location.file), line: location.line, column: location.column + 1 }
      : { file, line: 1, column: 1 },
  };
}

function fileDiagnostic(file: string, message: string): DeclarationDiagnostic {
  return { severity: "error", message, location: { file, line: 1, column: 1 } };
}

function inputsOfErrors(folder: string, file: string, errors: esbuild.Message[]): string[] {
  const files = new Set([file]);
  for (const e of errors) if (e.location) files.add(resolve(folder, e.location.file));
  return [...files];
}
