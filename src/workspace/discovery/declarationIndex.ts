// What each declaration file of a workspace declares, as its bundle cache entry says, in one file:
// a partial discovery (a run of a stored workflow) reads it instead of every entry of the folder.
// A record holds the digests its entry was valid for and is used only while they still hold, so it
// says what the entry would say; without one, the entry is read as before. A digest is taken to
// hold while the stat signature it was recorded with does (see fileSignatures.ts); other files are
// read. On disk, the resolution context most records share is written once.
import { readFileSync } from "node:fs";
import { mkdir, rename, utimes, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { Logger } from "../../engine/logger";
import { digestFileSync, digestListingSync } from "./codeInputs";
import { type FileSignature, settledBefore, signatureOf } from "./fileSignatures";

const INDEX_FORMAT = "declaration-index-3";

const digests = z.record(z.string(), z.string());
const indexSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  /** By digest key (`file:` or `dir:`, then the path): a digest, and the stat signature it holds while. */
  signed: z.record(z.string(), z.object({ signature: z.string(), digest: z.string() })),
  /** The records' resolution contexts, each once. */
  contexts: z.array(digests),
  files: z.record(
    z.string(),
    z.object({
      inputs: digests,
      context: z.number().int().nonnegative(),
      names: z.array(z.string()),
      problem: z.boolean(),
    }),
  ),
});

/** What a file's entry declares, and the digests of its inputs and resolution context it is valid for (see BundleCache). */
export interface IndexRecord {
  inputs: Record<string, string>;
  context: Record<string, string>;
  names: string[];
  problem: boolean;
}

interface SignedDigest {
  signature: string;
  digest: string;
}

interface IndexState {
  records: Record<string, IndexRecord>;
  signed: Map<string, SignedDigest>;
}

/** What a digest key's file or folder holds now, as far as this check has looked. */
interface Current {
  signature: FileSignature | undefined;
  digest?: string;
}

/** The records that held at a check, and when it began (see DeclarationIndex.update). */
export interface IndexCheck {
  valid: Map<string, IndexRecord>;
  checkedAt: number;
}

export class DeclarationIndex {
  private state: IndexState | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    /** The time, for checks (tests move it on rather than wait for files to settle). */
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The records of `files` that still hold, and when the check began. Files and folders read (synchronously: checking a few
   * hundred small files so is many times quicker than through the thread pool) are signed once
   * they have settled.
   */
  check(files: readonly string[]): IndexCheck {
    const { records, signed } = this.read();
    const checkedAt = this.now();
    let newlySigned = false;
    const current = new Map<string, Current>();
    const digestNow = (key: string): string => {
      let now = current.get(key);
      if (!now) current.set(key, (now = { signature: signatureAt(key) }));
      if (now.digest !== undefined) return now.digest;
      const known = signed.get(key);
      if (now.signature && known?.signature === now.signature.text) return (now.digest = known.digest);
      now.digest = digestAt(key);
      const after = signatureAt(key);
      if (after && after.text === now.signature?.text && settledBefore(after, checkedAt)) {
        signed.set(key, { signature: after.text, digest: now.digest });
        newlySigned = true;
      }
      return now.digest;
    };
    const valid = new Map<string, IndexRecord>();
    for (const file of files) {
      const record = records[file];
      if (record && digestsOf(record).every(([key, recorded]) => digestNow(key) === recorded)) valid.set(file, record);
    }
    if (newlySigned) this.write();
    return { valid, checkedAt };
  }

  /**
   * Records what the entries read say (`files` is the whole folder: others are dropped); written if
   * anything changed. With `verifiedSince`, the time every digest in `known` was read after (the
   * bundle cache checked them during the check begun then), they are signed.
   */
  update(files: readonly string[], known: ReadonlyMap<string, IndexRecord>, verifiedSince?: number): void {
    const state = this.read();
    const records: Record<string, IndexRecord> = {};
    for (const file of files) {
      const record = known.get(file) ?? state.records[file];
      if (record) records[file] = record;
    }
    let changed = JSON.stringify(records) !== JSON.stringify(state.records);
    state.records = records;
    if (verifiedSince !== undefined) {
      const signatures = new Map<string, FileSignature | undefined>();
      for (const record of known.values()) {
        for (const [key, digest] of digestsOf(record)) {
          if (!signatures.has(key)) signatures.set(key, signatureAt(key));
          const signature = signatures.get(key);
          if (!signature || !settledBefore(signature, verifiedSince)) continue;
          const signedNow = state.signed.get(key);
          if (signedNow?.signature === signature.text && signedNow.digest === digest) continue;
          state.signed.set(key, { signature: signature.text, digest });
          changed = true;
        }
      }
    }
    if (changed) this.write();
  }

  /** Drops a file's record: loading it reported something else than its entry said. */
  forget(file: string): void {
    const { records } = this.read();
    if (!(file in records)) return;
    delete records[file];
    this.write();
  }

  /** Resolves once no write is under way (writes never fail: they are logged). */
  flush(): Promise<void> {
    return this.writing;
  }

  private read(): IndexState {
    if (this.state) return this.state;
    this.state = { records: {}, signed: new Map() };
    try {
      const parsed = indexSchema.safeParse(JSON.parse(readFileSync(this.path, "utf8")));
      if (parsed.success) this.state = stateOf(parsed.data);
      // Used now: the last to be pruned with the cache's entries (a failed touch only makes it look older).
      const now = new Date();
      void utimes(this.path, now, now).catch(() => undefined);
    } catch {
      // Missing or corrupt: the entries are read instead, and the index is written anew.
    }
    return this.state;
  }

  private write(): void {
    const text = JSON.stringify(storedOf(this.read()));
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

type StoredIndex = z.infer<typeof indexSchema>;

function stateOf(stored: StoredIndex): IndexState {
  const records: Record<string, IndexRecord> = {};
  for (const [file, { inputs, context, names, problem }] of Object.entries(stored.files)) {
    const shared = stored.contexts[context];
    // A reference to no context is a corrupt index: that record is not trusted.
    if (shared) records[file] = { inputs, context: shared, names, problem };
  }
  return { records, signed: new Map(Object.entries(stored.signed)) };
}

/** The index as written: each context once, and only the signatures of keys a record uses. */
function storedOf({ records, signed }: IndexState): StoredIndex {
  const contexts: Record<string, string>[] = [];
  const contextIds = new Map<string, number>();
  const used = new Set<string>();
  const files: StoredIndex["files"] = {};
  for (const [file, record] of Object.entries(records)) {
    const contextKey = JSON.stringify(record.context);
    let id = contextIds.get(contextKey);
    if (id === undefined) {
      id = contexts.push(record.context) - 1;
      contextIds.set(contextKey, id);
    }
    for (const [key] of digestsOf(record)) used.add(key);
    files[file] = { inputs: record.inputs, context: id, names: record.names, problem: record.problem };
  }
  return {
    format: INDEX_FORMAT,
    signed: Object.fromEntries([...signed].filter(([key]) => used.has(key))),
    contexts,
    files,
  };
}

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

/** The same digests as BundleCache's, read synchronously. */
function digestAt(key: string): string {
  if (key.startsWith("file:")) return digestFileSync(key.slice("file:".length));
  if (key.startsWith("dir:")) return digestListingSync(key.slice("dir:".length));
  return "unknown";
}
