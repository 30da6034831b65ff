import * as esbuild from "esbuild";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { sha256 } from "../../engine/hash";
import type { RuntimeFiles } from "../packagePaths";
import type { Logger } from "../../engine/logger";
import type { LoadItem, LoadReport } from "../toolHost/protocol";
import { SHARED_HELPERS_KEY, SHARED_HELPERS_LOCAL, shareBundleHelpers } from "../toolHost/sharedBundleHelpers";
import type { DeclarationDiagnostic } from "../workspaceTypes";
import { BundleCache, type BundleCacheEntry, type CacheDigests } from "./bundleCache";
import { DeclarationIndex } from "./declarationIndex";

/** One declaration file turned into a loadable module, or the reasons it could not be. */
export interface BundleOutcome {
  file: string;
  /** Absent when the file did not compile. */
  bundle?: LoadItem;
  /** Kept here, not in the bundle: only a failed load needs it, to map its stack. */
  sourceMap?: BundleSourceMap;
  /** Every source file the bundle was built from (absolute), to know when to rebuild. */
  inputs: string[];
  diagnostics: DeclarationDiagnostic[];
  /** What loading this very bundle reported in an earlier process (from the on-disk cache). */
  cachedReport?: LoadReport;
  /** The digests its on-disk cache entry was found valid for (see DeclarationIndex). */
  cacheDigests?: CacheDigests;
}

/** Where bundles persist between processes; without it they live only as long as the session. */
export interface PersistentCache {
  folder: string;
  maxBytes?: number;
  logger: Logger;
}

/** A bundle's source map (JSON text) and the folder its `sources` are relative to. */
export interface BundleSourceMap {
  text: string;
  folder: string;
}

type Format = LoadItem["format"];
type Build = esbuild.BuildResult<{ write: false; metafile: true }>;
/** Bare module names a bundle leaves to the tool host's `require`, with the URL each stands for. */
type Aliases = Record<string, string>;

const RUNTIME_MODULE = /^(llm-function(\/.*)?|zod|zod\/v4)$/;
const SKIP_PLUGIN = "llmfn-skip";
/** esbuild's banner; each bundle's own prelude replaces it (one line, so source maps stay exact). */
const PRELUDE_MARK = "/* llm-function prelude */";
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*\n?$/;
const TOP_LEVEL_AWAIT_IN_CJS = /^Top-level await is currently not supported with the "cjs" output format/;

/**
 * Bundles declaration files (TS, ESM or CommonJS): all of them in one esbuild build when it
 * can, one by one for the files in error (to report their own diagnostics) and for single-file
 * refreshes. Bundles are CommonJS, which loads much faster than ES modules, and stay in memory
 * (the load request carries their code); files with top-level await become ES modules, written
 * to the cache folder. Source maps stay with the parent, for mapping a failed load's stack.
 *
 * `llm-function` and `zod` are not copied into the bundles: they stay imports of shared
 * modules that the tool host loads once, so every bundle uses one SDK and one zod instance
 * (the workspace's own zod when it has one, resolved by a plugin to URLs; else ours, as bare
 * names the host's `require` maps).
 *
 * With a persistent cache, CommonJS bundles and the SDK are kept on disk between processes
 * (see BundleCache): a file whose inputs are unchanged is not bundled again.
 */
export class DeclarationBundler {
  private readonly sharedSdk = new Map<string, Promise<string>>();
  private readonly ownZodByDir = new Map<string, boolean>();
  /** Cache writes under way, by declaration file: they run after discovery, and flush() waits for them. */
  private readonly cacheWrites = new Map<string, Promise<void>>();
  /**
   * Bundles built and not yet written to the persistent cache, with what loading them reported
   * once known: each entry is written once, with its report, after discovery (see writeCache).
   */
  private readonly pendingStores = new Map<string, { outcome: BundleOutcome; report?: LoadReport }>();
  /** Outcomes whose bundles leave the runtime modules to the host's `require` by bare name. */
  private readonly builtWithAliases = new WeakSet<BundleOutcome>();
  private readonly cache: BundleCache | undefined;
  /** The SDK's own source, by content: part of every persistent name built from it. */
  private readonly sdkDigest: string;
  private readonly persistentSdkFolder: string | undefined;
  /** What the folder's files declare, for partial discoveries (with a persistent cache only). */
  readonly declarationIndex: DeclarationIndex | undefined;

  constructor(
    private readonly folder: string,
    private readonly cacheDir: string,
    private readonly runtime: RuntimeFiles,
    persistent?: PersistentCache,
  ) {
    this.sdkDigest = sha256(readFileSync(runtime.sdkModule, "utf8"));
    this.persistentSdkFolder = persistent ? join(persistent.folder, "sdk") : undefined;
    // How bundles are made, beyond their inputs: esbuild, the SDK, and the host's side of the prelude.
    const configKey = sha256(esbuild.version, this.sdkDigest, sha256(readFileSync(runtime.toolHost, "utf8")));
    this.declarationIndex = persistent
      ? new DeclarationIndex(
          // Among the entries, so that the cache's size bound prunes indexes of folders no longer used too.
          join(persistent.folder, "entries", `index-${sha256(configKey, folder).slice(0, 40)}.json`),
          persistent.logger,
        )
      : undefined;
    this.cache = persistent
      ? new BundleCache({
          folder: persistent.folder,
          configKey,
          workspaceFolder: folder,
          ...(persistent.maxBytes === undefined ? {} : { maxBytes: persistent.maxBytes }),
          logger: persistent.logger,
        })
      : undefined;
  }

  /**
   * Bundles every file: from the persistent cache when its inputs are unchanged, the rest in one
   * build unless some fail. Outcomes are in the order of `files`. `verified`: digests of files'
   * inputs and context known to hold now; an entry made from exactly these is not checked again.
   */
  async bundleAll(files: readonly string[], verified?: ReadonlyMap<string, CacheDigests>): Promise<BundleOutcome[]> {
    const { cache } = this;
    const hits = new Map<string, BundleOutcome>();
    if (cache) {
      for (const [file, entry] of await cache.lookupAll(files, verified)) {
        const hit = this.fromCache(file, entry);
        if (hit) hits.set(file, hit);
      }
    }
    const misses = files.filter((file) => !hits.has(file));
    const built = await this.buildAll(misses);
    if (cache) for (const outcome of built) this.pendingStores.set(outcome.file, { outcome });
    const byFile = new Map([...hits, ...built.map((o) => [o.file, o] as const)]);
    return files.map((file) => byFile.get(file)!);
  }

  /** Records what loading a bundle reported, so a later process knows what the file declares without loading it. */
  rememberReport(item: LoadItem, report: LoadReport): void {
    const { cache } = this;
    const { code } = item;
    const pending = this.pendingStores.get(item.file);
    if (pending && pending.outcome.bundle?.code === code) pending.report = report;
    else if (cache && code !== undefined)
      this.afterCacheWrites(item.file, () => cache.remember(item.file, code, report));
    this.declarationIndex?.forget(item.file);
  }

  /**
   * Starts writing the bundles built since the last call to the persistent cache, on the next turn
   * of the event loop: writing 200 entries took CPU and thread-pool time from the tool host's load
   * while discovery waited for it. Discovery calls this once it has its result; flush() writes
   * whatever is still pending, so closing a session loses none.
   */
  writeCache(): void {
    if (this.pendingStores.size > 0) setImmediate(() => this.startPendingStores());
  }

  private startPendingStores(): void {
    const { cache } = this;
    if (!cache) return;
    for (const [file, { outcome, report }] of this.pendingStores)
      this.afterCacheWrites(file, () => this.toCache(cache, outcome, report));
    this.pendingStores.clear();
  }

  /**
   * Writes the bundles still pending (see writeCache), then resolves once no SDK build or cache write is under way (writes never fail: BundleCache logs its
   * own failures). The SDK build started eagerly is awaited by no discovery when the folder has no
   * declaration file: the session waits here before removing its folder, which the build would
   * otherwise create again.
   */
  async flush(): Promise<void> {
    this.startPendingStores();
    await Promise.allSettled(this.sharedSdk.values());
    while (this.cacheWrites.size > 0) await Promise.all(this.cacheWrites.values());
    await this.declarationIndex?.flush();
  }

  /** Writes to one file's entry happen in order, off the discovery's path. */
  private afterCacheWrites(file: string, write: () => Promise<void>): void {
    const next = (this.cacheWrites.get(file) ?? Promise.resolve()).then(write);
    this.cacheWrites.set(file, next);
    void next.then(() => {
      if (this.cacheWrites.get(file) === next) this.cacheWrites.delete(file);
    });
  }

  private fromCache(file: string, entry: BundleCacheEntry): BundleOutcome | undefined {
    const inputs = Object.keys(entry.inputs);
    // A bundle made for our zod is wrong once the workspace has a zod of its own, and vice versa.
    if ((entry.mode === "aliases") !== this.sharesOurZod(inputs.map(dirname))) return undefined;
    // Its SDK may have been pruned or never built in this cache folder: check it is there.
    if (!entry.runtimeModules.every((url) => !url.startsWith("file:") || existsSync(new URL(url)))) return undefined;
    return {
      file,
      bundle: {
        file,
        bundlePath: this.bundlePathFor(file, entry.code, "cjs"),
        format: "cjs",
        runtimeModules: entry.runtimeModules,
        code: entry.code,
      },
      ...(entry.sourceMap ? { sourceMap: entry.sourceMap } : {}),
      inputs,
      diagnostics: entry.diagnostics,
      ...(entry.report ? { cachedReport: entry.report } : {}),
      cacheDigests: { inputs: entry.inputs, context: entry.context },
    };
  }

  private async toCache(cache: BundleCache, outcome: BundleOutcome, report: LoadReport | undefined): Promise<void> {
    const { bundle } = outcome;
    // ES modules (top-level await) are rare and load from a file of this session: they are rebuilt.
    if (bundle?.format !== "cjs" || bundle.code === undefined) return;
    await cache.store(
      {
        file: outcome.file,
        mode: this.builtWithAliases.has(outcome) ? "aliases" : "plugin",
        code: bundle.code,
        runtimeModules: bundle.runtimeModules,
        ...(outcome.sourceMap ? { sourceMap: outcome.sourceMap } : {}),
        diagnostics: outcome.diagnostics,
        ...(report ? { report } : {}),
      },
      outcome.inputs,
    );
  }

  private async buildAll(files: readonly string[]): Promise<BundleOutcome[]> {
    if (files.length <= 1) return Promise.all(files.map((file) => this.bundle(file)));
    // Without a zod of the workspace's own, the runtime modules are plain externals the host's
    // `require` maps (quicker than a resolve plugin); the build is redone with it otherwise.
    const aliases = this.sharesOurZod(files.map(dirname)) ? this.ourAliases() : undefined;
    let built: Build;
    try {
      built = await this.build([...files], "cjs", aliases);
      if (aliases && !this.sharesOurZod(inputDirs(this.folder, built))) built = await this.build([...files], "cjs");
    } catch (failure) {
      // esbuild fails the whole build on any error: rebuild the failing files alone (their
      // diagnostics, or the ES module fallback) and the rest together again.
      const failing = new Set(errorsOf(failure).map((e) => (e.location ? resolve(this.folder, e.location.file) : "")));
      if (failing.size === 0 || ![...failing].every((file) => files.includes(file)))
        return Promise.all(files.map((file) => this.bundle(file)));
      const [alone, together] = await Promise.all([
        Promise.all(files.filter((f) => failing.has(f)).map((file) => this.bundle(file))),
        this.buildAll(files.filter((f) => !failing.has(f))),
      ]);
      const byFile = new Map([...alone, ...together].map((o) => [o.file, o]));
      return files.map((file) => byFile.get(file)!);
    }
    return this.outcomes(built, files, "cjs", aliases);
  }

  /** Bundles one file: CommonJS, or an ES module when it uses top-level await. */
  async bundle(file: string): Promise<BundleOutcome> {
    for (const format of ["cjs", "esm"] as const) {
      try {
        const [outcome] = await this.outcomes(await this.build([file], format), [file], format);
        return outcome!;
      } catch (failure) {
        const errors = errorsOf(failure);
        if (format === "cjs" && errors.length > 0 && errors.every((e) => TOP_LEVEL_AWAIT_IN_CJS.test(e.text))) continue;
        const diagnostics =
          errors.length > 0
            ? errors.map((e) => messageDiagnostic(this.folder, file, e))
            : [fileDiagnostic(file, String(failure))];
        return { file, inputs: inputsOfErrors(this.folder, file, errors), diagnostics };
      }
    }
    return { file, inputs: [file], diagnostics: [fileDiagnostic(file, "esbuild produced no output for this file.")] };
  }

  /** True when no folder in `dirs` would find a zod of its own (theirs or an ancestor's node_modules). */
  private sharesOurZod(dirs: Iterable<string>): boolean {
    for (const dir of new Set(dirs)) if (this.ownZodAbove(dir)) return false;
    return true;
  }

  private ownZodAbove(dir: string): boolean {
    let known = this.ownZodByDir.get(dir);
    if (known === undefined) {
      const parent = dirname(dir);
      known = existsSync(join(dir, "node_modules", "zod")) || (parent !== dir && this.ownZodAbove(parent));
      this.ownZodByDir.set(dir, known);
    }
    return known;
  }

  private ourAliases(): Aliases {
    const zod = pathToFileURL(this.runtime.zodModule).href;
    return { zod, "zod/v4": zod, "llm-function": pathToFileURL(this.sdkPath(this.runtime.zodModule)).href };
  }

  private build(entryPoints: string[], format: Format, aliases?: Aliases): Promise<Build> {
    return esbuild.build({
      ...declarationBuildOptions(this.folder, this.cacheDir, format),
      entryPoints,
      ...(aliases
        ? { external: Object.keys(aliases) }
        : {
            plugins: [
              runtimeModulesPlugin(
                (resolveDir, build) => this.zodFor(resolveDir, build),
                (zodTarget) => this.sdkFor(zodTarget),
              ),
            ],
          }),
    });
  }

  private async outcomes(
    built: Build,
    files: readonly string[],
    format: Format,
    aliases?: Aliases,
  ): Promise<BundleOutcome[]> {
    const outputs = new Map(
      Object.entries(built.metafile.outputs).map(([path, meta]) => [resolve(this.folder, path), meta]),
    );
    const maps = new Map(built.outputFiles.filter((o) => o.path.endsWith(".map")).map((o) => [o.path, o.text]));
    const byFile = new Map<string, BundleOutcome>();
    await Promise.all(
      built.outputFiles.map(async (output) => {
        const meta = outputs.get(output.path);
        if (!meta?.entryPoint) return;
        const file = resolve(this.folder, meta.entryPoint);
        const inputs = Object.keys(meta.inputs)
          .filter((p) => !p.includes(":"))
          .map((p) => resolve(this.folder, p));
        const runtimeModules = meta.imports
          .filter((i) => i.external)
          .map((i) => aliases?.[i.path] ?? i.path)
          .filter((path) => path.startsWith("file:"));
        const text = (format === "cjs" ? withSharedHelpers(output.text) : output.text)
          .replace(PRELUDE_MARK, () => prelude(file, aliases ?? {}))
          .replace(SOURCE_MAP_COMMENT, "");
        const bundlePath = this.bundlePathFor(file, text, format);
        // CommonJS code travels in the load request; ES modules are imported from a file.
        if (format === "esm") await writeFile(bundlePath, text);
        const inputSet = new Set(inputs);
        const diagnostics = built.warnings
          .filter((w) => !w.location || inputSet.has(resolve(this.folder, w.location.file)))
          .map((w) => ({ ...messageDiagnostic(this.folder, file, w), severity: "warning" as const }));
        const mapText = maps.get(`${output.path}.map`);
        const sourceMap = mapText === undefined ? undefined : { text: mapText, folder: dirname(output.path) };
        const outcome: BundleOutcome = {
          file,
          bundle: {
            file,
            bundlePath,
            format,
            runtimeModules: [...new Set(runtimeModules)],
            ...(format === "cjs" ? { code: text } : {}),
          },
          ...(sourceMap === undefined ? {} : { sourceMap }),
          inputs,
          diagnostics,
        };
        if (aliases) this.builtWithAliases.add(outcome);
        byFile.set(file, outcome);
      }),
    );
    return files.map(
      (file) =>
        byFile.get(file) ?? {
          file,
          inputs: [file],
          diagnostics: [fileDiagnostic(file, "esbuild produced no output for this file.")],
        },
    );
  }

  /** Named by content: an unchanged bundle keeps its path, so the host need not reload it. */
  private bundlePathFor(file: string, text: string, format: Format): string {
    return join(
      this.cacheDir,
      `${sha256(file).slice(0, 16)}-${sha256(text).slice(0, 12)}.${format === "cjs" ? "cjs" : "mjs"}`,
    );
  }

  /** The workspace's own zod as seen from `resolveDir`, else the copy shipped with us. */
  private async zodFor(resolveDir: string, build: esbuild.PluginBuild): Promise<string> {
    const found = await build.resolve("zod", { resolveDir, kind: "import-statement", pluginData: SKIP_PLUGIN });
    return found.errors.length === 0 && found.path ? found.path : this.runtime.zodModule;
  }

  /**
   * Where the SDK module importing exactly `zodTarget` (by URL, not a bare "zod") is: ours beside
   * our zod; for another zod, in the persistent cache when there is one (named by everything it is built from), else in the session's folder.
   */
  private sdkPath(zodTarget: string): string {
    if (zodTarget === this.runtime.zodModule) return this.runtime.sdkModule;
    const name = `llm-function-${sha256(this.sdkDigest, esbuild.version, zodTarget).slice(0, 16)}.mjs`;
    return this.persistentSdkFolder ? join(this.persistentSdkFolder, name) : join(this.cacheDir, name);
  }

  /**
   * The SDK module importing exactly `zodTarget`: ours beside our zod, else built once per zod
   * (and kept across processes with a persistent cache).
   */
  private sdkFor(zodTarget: string): Promise<string> {
    if (zodTarget === this.runtime.zodModule) return Promise.resolve(this.sdkPath(zodTarget));
    let built = this.sharedSdk.get(zodTarget);
    if (!built) {
      built = (async () => {
        const outfile = this.sdkPath(zodTarget);
        if (this.persistentSdkFolder && existsSync(outfile)) return outfile;
        const result = await esbuild.build({
          entryPoints: [this.runtime.sdkModule],
          outfile,
          bundle: true,
          write: false,
          format: "esm",
          platform: "node",
          target: "node20",
          logLevel: "silent",
          plugins: [zodOfSdk(zodTarget)],
        });
        const [output] = result.outputFiles;
        if (!output) throw new Error("esbuild produced no SDK module.");
        await mkdir(dirname(outfile), { recursive: true });
        // Written aside and renamed: another process, or another folder's bundler in this one (a
        // multi-root window), may be reading or writing the same file, so the temp name is unique.
        const temporary = `${outfile}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
        await writeFile(temporary, output.contents);
        await rename(temporary, outfile);
        return outfile;
      })();
      this.sharedSdk.set(zodTarget, built);
    }
    return built;
  }
}

/**
 * How discovery runs esbuild on declaration files (entry points and the handling of `llm-function`
 * and `zod` aside): in memory, with a metafile. Exported for the benchmark's baseline.
 */
export function declarationBuildOptions(folder: string, outdir: string, format: Format) {
  return {
    absWorkingDir: folder,
    outdir,
    outbase: folder,
    // Distinct outputs even for `a.llm.ts` beside `a.llm.js`; the metafile maps them back.
    entryNames: "[dir]/[name]-[hash]",
    outExtension: { ".js": format === "cjs" ? ".cjs" : ".mjs" },
    bundle: true,
    write: false,
    metafile: true,
    format,
    platform: "node" as const,
    target: "node20",
    // Kept apart from the code: the host compiles less text and never decodes a map.
    sourcemap: "external" as const,
    // Handlers print as esbuild-based loaders (tsx and the like) print them, so a tool's id
    // (which hashes its handler's text) is the same in library use and in the tool host.
    minifyWhitespace: true,
    logLevel: "silent" as const,
    // The bundle runs from the cache folder: its prelude gives CommonJS globals and
    // `import.meta` paths of the source file (free references only; user names are left alone).
    define: {
      __filename: "__llmfnFilename",
      __dirname: "__llmfnDirname",
      "import.meta.url": "__llmfnImportMetaUrl",
      "import.meta.filename": "__llmfnFilename",
      "import.meta.dirname": "__llmfnDirname",
    },
    banner: { js: PRELUDE_MARK },
  } satisfies esbuild.BuildOptions & { write: false; metafile: true };
}

/**
 * The first line of every bundle: source-file paths for the defined globals, the tool host's
 * shared esbuild helpers (see withSharedHelpers), and a `require`
 * from the tool host that hands out the shared runtime modules and resolves everything else
 * from the source file's folder.
 */
function prelude(file: string, aliases: Aliases): string {
  return (
    `var __llmfnFilename = ${JSON.stringify(file)}, __llmfnDirname = ${JSON.stringify(dirname(file))}, ` +
    `__llmfnImportMetaUrl = ${JSON.stringify(pathToFileURL(file).href)}, ` +
    `${SHARED_HELPERS_LOCAL} = globalThis[Symbol.for(${JSON.stringify(SHARED_HELPERS_KEY)})], ` +
    `require = globalThis[Symbol.for("llm-function.hostRequire")](__llmfnFilename, ${JSON.stringify(aliases)});`
  );
}

/** A CommonJS bundle whose esbuild helpers, on the line after the prelude's, are the tool host's (see sharedBundleHelpers). */
function withSharedHelpers(text: string): string {
  const mark = text.indexOf(PRELUDE_MARK);
  const lineEnd = mark + PRELUDE_MARK.length;
  return mark >= 0 && text[lineEnd] === "\n" ? shareBundleHelpers(text, lineEnd + 1) : text;
}

/** The folders of every source file a build read. */
function inputDirs(folder: string, built: Build): string[] {
  return Object.keys(built.metafile.inputs)
    .filter((p) => !p.includes(":"))
    .map((p) => dirname(resolve(folder, p)));
}

/** Our SDK module imports our zod beside it (`./zod.mjs`); a copy of it for another zod imports that one, by URL. */
function zodOfSdk(zodTarget: string): esbuild.Plugin {
  return {
    name: "llm-function-sdk-zod",
    setup(build) {
      build.onResolve({ filter: /^\.\/zod\.mjs$/ }, () => ({ path: pathToFileURL(zodTarget).href, external: true }));
    },
  };
}

/** Resolves `llm-function` and `zod` (any kind of import) to the shared modules, left external by URL. */
function runtimeModulesPlugin(
  zod: (resolveDir: string, build: esbuild.PluginBuild) => Promise<string>,
  sdk: (zodTarget: string) => Promise<string>,
): esbuild.Plugin {
  return {
    name: "llm-function-runtime-modules",
    setup(build) {
      const zodByDir = new Map<string, Promise<string>>();
      const zodFor = (resolveDir: string): Promise<string> => {
        let found = zodByDir.get(resolveDir);
        if (!found) zodByDir.set(resolveDir, (found = zod(resolveDir, build)));
        return found;
      };
      build.onResolve({ filter: RUNTIME_MODULE }, async (args) => {
        if (args.pluginData === SKIP_PLUGIN) return undefined;
        const isSdk = args.path.startsWith("llm-function");
        if (isSdk && args.path !== "llm-function") {
          return { errors: [{ text: `"${args.path}" is not a module of llm-function; import from "llm-function".` }] };
        }
        const zodTarget = await zodFor(args.resolveDir);
        const target = isSdk ? await sdk(zodTarget) : zodTarget;
        return { path: pathToFileURL(target).href, external: true };
      });
    },
  };
}

function errorsOf(failure: unknown): esbuild.Message[] {
  return (failure as esbuild.BuildFailure).errors ?? [];
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
