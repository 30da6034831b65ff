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
import { settledBefore, signatureOf, type FileSignature } from "./fileSignatures";

const INDEX_FORMAT = "declaration-index-2";

const recordSchema = z.object({
  /** The entry's inputs and resolution context, by content (see BundleCache). */
  inputs: z.record(z.string(), z.string()),
  context: z.record(z.string(), z.string()),
  names: z.array(z.string()),
  problem: z.boolean(),
  /**
   * Stat signatures of the inputs and the context, by digest key (`file:` or `dir:`, then the
   * path), taken while those digests held: a file whose signature is unchanged is not read.
   */
  signatures: z.record(z.string(), z.string()),
});
const indexSchema = z.object({ format: z.literal(INDEX_FORMAT), files: z.record(z.string(), recordSchema) });
type IndexRecord = z.infer<typeof recordSchema>;

/** What a digest key's file or folder holds now, as far as this check has looked. */
interface Current {
  signature: FileSignature | undefined;
  digest?: string;
  /** The signature to record for it: one that held while the digest was taken, long after the last change. */
  settled?: string;
}

export class DeclarationIndex {
  private records: Record<string, IndexRecord> | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** When the last check began: digests the bundle cache verified since were read after it. */
  private checkedAt: number | undefined;

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    /** The time, for checks (tests move it on rather than wait for files to settle). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The records of `files` that still hold. Files and folders whose stat signature is the one
   * recorded are taken to hold their recorded digests; the others are read (synchronously:
   * checking a few hundred small files so is many times quicker than through the thread pool).
   */
  validSummaries(files: readonly string[]): Map<string, IndexRecord> {
    const records = this.read();
    const checkedAt = this.now();
    this.checkedAt = checkedAt;
    const current = new Map<string, Current>();
    const currentOf = (key: string): Current => {
      let found = current.get(key);
      if (!found) current.set(key, (found = { signature: signatureAt(key) }));
      return found;
    };
    const holds = (record: IndexRecord): boolean =>
      digestsOf(record).every(([key, recorded]) => {
        const now = currentOf(key);
        if (now.digest === undefined) {
          if (now.signature && record.signatures[key] === now.signature.text) {
            now.digest = recorded;
            now.settled = now.signature.text;
          } else {
            now.digest = digestAt(key);
            const after = signatureAt(key);
            if (after && after.text === now.signature?.text && settledBefore(after, checkedAt))
              now.settled = after.text;
          }
        }
        return now.digest === recorded;
      });
    const valid = new Map<string, IndexRecord>();
    let resigned = false;
    for (const file of files) {
      const record = records[file];
      if (!record || !holds(record)) continue;
      const signatures = Object.fromEntries(
        digestsOf(record).flatMap(([key]) => {
          const settled = current.get(key)?.settled;
          return settled === undefined ? [] : [[key, settled] as const];
        }),
      );
      if (JSON.stringify(signatures) === JSON.stringify(record.signatures)) valid.set(file, record);
      else {
        resigned = true;
        valid.set(file, (records[file] = { ...record, signatures }));
      }
    }
    if (resigned) this.write(records);
    return valid;
  }

  /**
   * Records what the entries read say (`files` is the whole folder: others are dropped); written if
   * anything changed. Their digests are signed when the bundle cache verified them after the last
   * check began (see validSummaries).
   */
  update(files: readonly string[], known: ReadonlyMap<string, Omit<IndexRecord, "signatures">>): void {
    const records = this.read();
    const next: Record<string, IndexRecord> = {};
    for (const file of files) {
      const found = known.get(file);
      const record = found ? { ...found, signatures: this.signaturesOf(found) } : records[file];
      if (record) next[file] = record;
    }
    if (JSON.stringify(next) !== JSON.stringify(records)) this.write(next);
  }

  private signaturesOf(record: Omit<IndexRecord, "signatures">): Record<string, string> {
    const { checkedAt } = this;
    if (checkedAt === undefined) return {};
    return Object.fromEntries(
      digestsOf(record).flatMap(([key]) => {
        const signature = signatureAt(key);
        return signature && settledBefore(signature, checkedAt) ? [[key, signature.text] as const] : [];
      }),
    );
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

/** A record's digests by key: its inputs' (`file:` and the path) and its context's. */
function digestsOf(record: Pick<IndexRecord, "inputs" | "context">): [string, string][] {
  return [
    ...Object.entries(record.inputs).map(([path, digest]) => [`file:${path}`, digest] as [string, string]),
    ...Object.entries(record.context),
  ];
}

function signatureAt(key: string): FileSignature | undefined {
  const path = pathOf(key);
  return path === undefined ? undefined : signatureOf(path);
}

function pathOf(key: string): string | undefined {
  if (key.startsWith("file:")) return key.slice("file:".length);
  if (key.startsWith("dir:")) return key.slice("dir:".length);
  return undefined;
}

// The same digests as BundleCache's (codeInputs' digestFile and its folder listings), read synchronously.
function digestAt(key: string): string {
  if (key.startsWith("file:")) return fileDigest(key.slice("file:".length));
  if (!key.startsWith("dir:")) return "unknown";
  try {
    return sha256(...readdirSync(key.slice("dir:".length)).sort());
  } catch {
    return "missing";
  }
}

function fileDigest(path: string): string {
  try {
    return createHash("sha256").update(readFileSync(path)).digest("hex");
  } catch {
    return "missing";
  }
}
