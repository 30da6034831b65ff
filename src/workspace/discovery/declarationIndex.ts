// What each declaration file of a workspace declares, as its bundle cache entry says, in one file:
// a partial discovery (a run of a stored workflow) reads it instead of every entry of the folder.
// A record holds the digests its entry was valid for and is used only while they still hold, so it
// says what the entry would say; without one, the entry is read as before.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { sha256 } from "../../engine/hash";
import type { Logger } from "../../engine/logger";
import type { DeclarationSummary } from "./declarationSelection";

const INDEX_FORMAT = "declaration-index-1";

const recordSchema = z.object({
  /** The entry's inputs and resolution context, by content (see BundleCache). */
  inputs: z.record(z.string(), z.string()),
  context: z.record(z.string(), z.string()),
  names: z.array(z.string()),
  problem: z.boolean(),
});
const indexSchema = z.object({ format: z.literal(INDEX_FORMAT), files: z.record(z.string(), recordSchema) });
type IndexRecord = z.infer<typeof recordSchema>;

export class DeclarationIndex {
  private records: Record<string, IndexRecord> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
  ) {}

  /**
   * The summaries of `files` whose records still hold. Read synchronously: checking a few hundred
   * small files so is many times quicker than through the thread pool.
   */
  validSummaries(files: readonly string[]): Map<string, DeclarationSummary> {
    const records = this.read();
    const digests = new Map<string, string>();
    const digest = (key: string, compute: () => string): string => {
      let found = digests.get(key);
      if (found === undefined) digests.set(key, (found = compute()));
      return found;
    };
    const holds = (record: IndexRecord): boolean =>
      Object.entries(record.inputs).every(
        ([path, recorded]) => digest(`file:${path}`, () => fileDigest(path)) === recorded,
      ) &&
      Object.entries(record.context).every(([key, recorded]) => digest(key, () => contextDigest(key)) === recorded);
    const valid = new Map<string, DeclarationSummary>();
    for (const file of files) {
      const record = records[file];
      if (record && holds(record)) valid.set(file, { names: record.names, problem: record.problem });
    }
    return valid;
  }

  /** Records what the entries read say (`files` is the whole folder: others are dropped); written if anything changed. */
  update(files: readonly string[], known: ReadonlyMap<string, IndexRecord>): void {
    const records = this.read();
    const next: Record<string, IndexRecord> = {};
    for (const file of files) {
      const record = known.get(file) ?? records[file];
      if (record) next[file] = record;
    }
    if (JSON.stringify(next) !== JSON.stringify(records)) this.write(next);
  }

  /** Drops a file's record: loading it reported something else than its entry said. */
  forget(file: string): void {
    const records = this.read();
    if (!(file in records)) return;
    const { [file]: _, ...rest } = records;
    this.write(rest);
  }

  /** Resolves once no write is under way (writes never fail: they are logged). */
  flush(): Promise<void> {
    return this.writing;
  }

  private read(): Record<string, IndexRecord> {
    if (this.records) return this.records;
    let files: Record<string, IndexRecord> = {};
    try {
      const parsed = indexSchema.safeParse(JSON.parse(readFileSync(this.path, "utf8")));
      if (parsed.success) files = parsed.data.files;
      // Used now: the last to be pruned with the cache's entries (a failed touch only makes it look older).
      const now = new Date();
      void utimes(this.path, now, now).catch(() => undefined);
    } catch {
      // Missing or corrupt: the entries are read instead, and the index is written anew.
    }
    this.records = files;
    return files;
  }

  private write(files: Record<string, IndexRecord>): void {
    this.records = files;
    const text = JSON.stringify({ format: INDEX_FORMAT, files });
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(this.path), { recursive: true });
        // Written aside and renamed, as cache entries are: a reader never sees half an index.
        const temporary = `${this.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await writeFile(temporary, text);
        await rename(temporary, this.path);
      } catch (error) {
        this.logger.warn(`Could not write the declaration index ${this.path}: ${(error as Error).message}`);
      }
    });
  }
}

export type { IndexRecord };

// The same digests as BundleCache's (codeInputs' digestFile and its folder listings), read synchronously.
function fileDigest(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return "missing";
  }
}

function contextDigest(key: string): string {
  if (key.startsWith("file:")) return fileDigest(key.slice("file:".length));
  if (!key.startsWith("dir:")) return "unknown";
  try {
    return sha256(...readdirSync(key.slice("dir:".length)).sort());
  } catch {
    return "missing";
  }
}
