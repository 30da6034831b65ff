// Declaration bundles kept on disk between processes, so that a run of a stored workflow does not
// bundle (or even start esbuild) when nothing changed. An entry is used only when every input the
// metafile listed still has the content it was built from, and nothing that steers module
// resolution changed (folder listings, package.json / tsconfig.json, installed package manifests,
// the shared runtime modules). esbuild's version, the SDK and zod are in the configuration key.
import { readdir, readFile, rename, rm, stat, utimes, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative, isAbsolute, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { sha256 } from "../../engine/hash";
import type { Logger } from "../../engine/logger";
import { protocolSchemas, type LoadReport } from "../toolHost/protocol";
import { cacheRoot } from "../cacheRoot";
import type { DeclarationDiagnostic } from "../workspaceTypes";
import { digestFile, digestListing, packageOf, type ContentDigest } from "./codeInputs";

/** Bumped whenever what an entry holds, or how bundles are built, changes meaning (2: bundles take the host's esbuild helpers). */
const CACHE_FORMAT = "bundle-cache-2";
export const DEFAULT_BUNDLE_CACHE_BYTES = 64 * 1024 * 1024;
/** After going over the bound, the oldest entries go until this share of it is left. */
const PRUNE_TO = 0.75;
const RESOLUTION_FILES = ["package.json", "tsconfig.json", "jsconfig.json"];

/** The bundles' folder in the cache folder (see cacheRoot); undefined when LLMFN_CACHE_DIR is "off". */
export function defaultBundleCacheFolder(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const root = cacheRoot(env, platform);
  return root === undefined ? undefined : join(root, "bundles");
}

const diagnosticSchema = z.object({
  severity: z.enum(["error", "warning"]),
  message: z.string(),
  location: z.object({ file: z.string(), line: z.number(), column: z.number() }),
});

const entrySchema = z.object({
  format: z.literal(CACHE_FORMAT),
  file: z.string(),
  /** "aliases": runtime modules left to the host's require by bare name; "plugin": by URL. */
  mode: z.enum(["aliases", "plugin"]),
  /** Every source file of the bundle, by content. */
  inputs: z.record(z.string(), z.string()),
  /** Folder listings and manifests that decide how imports resolve, by content. */
  context: z.record(z.string(), z.string()),
  code: z.string(),
  runtimeModules: z.array(z.string()),
  sourceMap: z.object({ text: z.string(), folder: z.string() }).optional(),
  diagnostics: z.array(diagnosticSchema),
  /** What loading this bundle reported last time: which tools and functions the file declares. */
  report: protocolSchemas(z).loadReport.optional(),
});

export type BundleCacheEntry = Omit<z.infer<typeof entrySchema>, "diagnostics"> & {
  diagnostics: DeclarationDiagnostic[];
};

/** What an entry is valid for: its inputs' and its resolution context's digests. */
export type CacheDigests = Pick<BundleCacheEntry, "inputs" | "context">;

export interface BundleCacheOptions {
  folder: string;
  /** Everything about how bundles are made that is not in their inputs (esbuild version, SDK, zod, ...). */
  configKey: string;
  /** The workspace folder: resolution context is checked from each input's folder up to here. */
  workspaceFolder: string;
  maxBytes?: number;
  logger: Logger;
}

export class BundleCache {
  private pruned = false;
  /**
   * Digests shared by the stores begun in one turn of the event loop (one build's outcomes): without
   * it, each of 200 stores digested the shared runtime modules and folder listings again, and that
   * file-system work held up discovery.
   */
  private storeDigests: DigestMemo | undefined;

  constructor(private readonly options: BundleCacheOptions) {}

  private entryName(file: string): string {
    return `${sha256(CACHE_FORMAT, this.options.configKey, file).slice(0, 40)}.json`;
  }

  private entryPath(file: string): string {
    return join(this.options.folder, "entries", this.entryName(file));
  }

  /**
   * The valid entries of `files`, reading each shared input or folder once. An entry whose digests
   * are those `verified` gives for its file (known to hold now) is not checked again.
   */
  async lookupAll(
    files: readonly string[],
    verified?: ReadonlyMap<string, CacheDigests>,
  ): Promise<Map<string, BundleCacheEntry>> {
    const digests = new DigestMemo();
    // One listing instead of a failed open per file without an entry (all of them on a first start).
    const present = await readdir(join(this.options.folder, "entries")).then(
      (names) => new Set(names),
      () => new Set<string>(),
    );
    const found = await Promise.all(
      files.map((file) =>
        present.has(this.entryName(file)) ? this.lookup(file, digests, verified?.get(file)) : undefined,
      ),
    );
    return new Map(found.flatMap((entry, index) => (entry ? [[files[index]!, entry] as const] : [])));
  }

  /** The entry of `file` if every input and its resolution context are unchanged; corrupt or stale entries are ignored. */
  async lookup(
    file: string,
    digests = new DigestMemo(),
    verified?: CacheDigests,
  ): Promise<BundleCacheEntry | undefined> {
    const path = this.entryPath(file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      return undefined;
    }
    const parsed = parseEntry(text);
    if (!parsed || parsed.file !== file) {
      this.options.logger.warn(`Ignored a corrupt bundle cache entry for ${file}; it is rebuilt.`);
      await rm(path, { force: true }).catch(() => undefined);
      return undefined;
    }
    const known =
      verified && sameDigests(parsed.inputs, verified.inputs) && sameDigests(parsed.context, verified.context);
    if (!known) {
      const inputs = Object.keys(parsed.inputs);
      const [currentInputs, currentContext] = await Promise.all([
        digests.files(inputs),
        this.contextOf(inputs, parsed.runtimeModules, digests),
      ]);
      if (!sameDigests(parsed.inputs, currentInputs) || !sameDigests(parsed.context, currentContext)) return undefined;
    }
    // Recently used entries are the last to be pruned. Not waited for: a failed touch only makes
    // the entry look older to the pruning.
    const now = new Date();
    void utimes(path, now, now).catch(() => undefined);
    return parsed;
  }

  /** Records a bundle built from `inputs`; failures to write are logged, never thrown. */
  async store(
    entry: Omit<BundleCacheEntry, "format" | "inputs" | "context">,
    inputs: readonly string[],
  ): Promise<void> {
    try {
      const digests = this.digestsOfThisTurn();
      const [inputDigests, context] = await Promise.all([
        digests.files(inputs),
        this.contextOf(inputs, entry.runtimeModules, digests),
      ]);
      await this.write(entry.file, { format: CACHE_FORMAT, ...entry, inputs: inputDigests, context });
      await this.pruneOnce();
    } catch (error) {
      this.options.logger.warn(
        `Could not write the bundle cache in ${this.options.folder}: ${(error as Error).message}`,
      );
    }
  }

  /** Adds what loading the bundle reported to its entry, if the entry still holds that bundle's code. */
  async remember(file: string, code: string, report: LoadReport): Promise<void> {
    try {
      const parsed = parseEntry(await readFile(this.entryPath(file), "utf8"));
      if (parsed?.code === code) await this.write(file, { ...parsed, report });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        this.options.logger.warn(`Could not update the bundle cache entry of ${file}: ${(error as Error).message}`);
    }
  }

  private digestsOfThisTurn(): DigestMemo {
    if (!this.storeDigests) {
      this.storeDigests = new DigestMemo();
      setImmediate(() => {
        this.storeDigests = undefined;
      });
    }
    return this.storeDigests;
  }

  private async write(file: string, entry: BundleCacheEntry): Promise<void> {
    const path = this.entryPath(file);
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a reader never sees half an entry, and concurrent writers each write a whole one.
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, path);
  }

  /**
   * What, besides the inputs' contents, decides what a bundle is: the listing of every workspace
   * folder from each input up to the workspace folder (a new `helper.ts` beside `helper.js`, a new
   * `node_modules`), the manifests and tsconfigs in them, the manifest of every installed package
   * an input comes from, and the shared runtime modules the bundle imports.
   */
  private async contextOf(
    inputs: readonly string[],
    runtimeModules: readonly string[],
    digests: DigestMemo,
  ): Promise<Record<string, ContentDigest>> {
    const folders = new Set<string>();
    const files = new Set<string>();
    for (const input of inputs) {
      const found = packageOf(input);
      if (found) {
        files.add(join(found.folder, "package.json"));
        continue;
      }
      for (let folder = dirname(input); isWithin(this.options.workspaceFolder, folder); folder = dirname(folder)) {
        if (folders.has(folder)) break;
        folders.add(folder);
        if (folder === dirname(folder)) break;
      }
    }
    for (const folder of [...folders]) {
      folders.add(join(folder, "node_modules"));
      for (const name of RESOLUTION_FILES) files.add(join(folder, name));
    }
    for (const url of runtimeModules) if (url.startsWith("file:")) files.add(fileURLToPath(url));
    const [listings, contents] = await Promise.all([
      Promise.all([...folders].map(async (folder) => [`dir:${folder}`, await digests.listing(folder)] as const)),
      Promise.all([...files].map(async (file) => [`file:${file}`, await digests.file(file)] as const)),
    ]);
    return Object.fromEntries([...listings, ...contents]);
  }

  /** Keeps the folder under its size bound, oldest entries first; once per process is enough. */
  private async pruneOnce(): Promise<void> {
    if (this.pruned) return;
    this.pruned = true;
    const maxBytes = this.options.maxBytes ?? DEFAULT_BUNDLE_CACHE_BYTES;
    const folder = join(this.options.folder, "entries");
    const names = await readdir(folder).catch(() => []);
    const entries = (
      await Promise.all(
        names.map(async (name) => {
          const info = await stat(join(folder, name)).catch(() => undefined);
          return info ? { path: join(folder, name), size: info.size, used: info.mtimeMs } : undefined;
        }),
      )
    ).filter((e): e is { path: string; size: number; used: number } => e !== undefined);
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total <= maxBytes) return;
    for (const entry of entries.sort((a, b) => a.used - b.used)) {
      if (total <= maxBytes * PRUNE_TO) break;
      await rm(entry.path, { force: true });
      total -= entry.size;
    }
  }
}

function parseEntry(text: string): BundleCacheEntry | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** Digests taken once per batch of lookups: 200 declaration files share their folder and manifests. */
class DigestMemo {
  private readonly known = new Map<string, Promise<ContentDigest>>();

  file(path: string): Promise<ContentDigest> {
    return this.once(`file:${path}`, () => digestFile(path));
  }

  listing(folder: string): Promise<ContentDigest> {
    return this.once(`dir:${folder}`, () => digestListing(folder));
  }

  async files(paths: readonly string[]): Promise<Record<string, ContentDigest>> {
    const unique = [...new Set(paths)];
    const digests = await Promise.all(unique.map((path) => this.file(path)));
    return Object.fromEntries(unique.map((path, index) => [path, digests[index]!]));
  }

  private once(key: string, digest: () => Promise<ContentDigest>): Promise<ContentDigest> {
    let found = this.known.get(key);
    if (!found) this.known.set(key, (found = digest()));
    return found;
  }
}

function sameDigests(recorded: Record<string, string>, current: Record<string, string>): boolean {
  const keys = Object.keys(recorded);
  return keys.length === Object.keys(current).length && keys.every((key) => recorded[key] === current[key]);
}

function isWithin(root: string, folder: string): boolean {
  const path = relative(root, folder);
  return path === "" || (!path.startsWith(`..${sep}`) && path !== ".." && !isAbsolute(path));
}
