import { randomBytes } from "node:crypto";
import { mkdir, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { cancelledError, describeUnknown, workflowError, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import { readStoredFile } from "./storedFile";

/** Who holds a planning lock: written into the lock file by its owner. */
export interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  functionName: string;
  startedAt: string;
}

export interface HeldLock {
  /** True when another process held the lock first, so its planning may have finished meanwhile. */
  waited: boolean;
  release(): Promise<void>;
}

export interface PlanningLockTimings {
  /** How often the owner touches its lock file. */
  heartbeatMs: number;
  /** A lock file untouched for this long is abandoned (an owner on another machine, or a reused pid). */
  staleMs: number;
  /** How often a waiter looks again. */
  pollMs: number;
}

const DEFAULT_TIMINGS: PlanningLockTimings = { heartbeatMs: 5_000, staleMs: 30_000, pollMs: 150 };

/**
 * One planning per function across processes (CLI runs, the extension, library users) sharing a
 * storage folder: `<storage>/locks/<inputId>.lock`, created exclusively. The owner touches it
 * while it plans; a waiter polls until it is gone. A lock whose owner is dead (same machine, pid
 * gone) or silent for `staleMs` is taken over; breaking it is itself serialized by a second
 * exclusive file, so two waiters never both remove a lock and one of them a fresh one.
 */
export class PlanningLock {
  readonly directory: string;
  private readonly timings: PlanningLockTimings;

  constructor(storagePath: string, timings: Partial<PlanningLockTimings> = {}) {
    this.directory = join(storagePath, "locks");
    this.timings = { ...DEFAULT_TIMINGS, ...timings };
  }

  async acquire(
    key: string,
    functionName: string,
    options: { signal?: AbortSignal; onWait?: (owner: LockOwner | undefined) => void } = {},
  ): Promise<Result<HeldLock, WorkflowError>> {
    const file = join(this.directory, `${key}.lock`);
    const me: LockOwner = {
      pid: process.pid,
      hostname: hostname(),
      token: randomBytes(8).toString("hex"),
      functionName,
      startedAt: new Date().toISOString(),
    };
    try {
      await mkdir(this.directory, { recursive: true });
      // Lock files are never meant to be committed with the workflows.
      await writeFile(join(this.directory, ".gitignore"), "*\n", { flag: "wx" }).catch(ignoreExisting);
    } catch (error) {
      return err(
        workflowError(
          "STORAGE",
          "storage",
          `Cannot create the planning lock folder ${this.directory}: ${describeUnknown(error)}`,
        ),
      );
    }
    let waitingFor: string | undefined;
    for (;;) {
      if (options.signal?.aborted) return err(cancelledError("plan"));
      try {
        await writeFile(file, JSON.stringify(me), { flag: "wx" });
        return ok(this.held(file, me, waitingFor !== undefined));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          return err(
            workflowError("STORAGE", "storage", `Cannot create the planning lock ${file}: ${describeUnknown(error)}`),
          );
        }
      }
      const read = await readHolder(file, this.directory);
      if (!read.ok) {
        // Nobody will ever release it: waiting (or retrying at once) would never end.
        return err(
          workflowError(
            "STORAGE",
            "storage",
            `The planning lock ${file} cannot be used: ${read.error}. Remove it; this function cannot be planned while it is there.`,
          ),
        );
      }
      const holder = read.value;
      if (!holder) continue;
      if (this.abandoned(holder)) {
        await this.breakLock(file, holder);
        continue;
      }
      const seen = holder.owner?.token ?? `unreadable@${holder.mtimeMs}`;
      if (waitingFor !== seen) {
        waitingFor = seen;
        options.onWait?.(holder.owner);
      }
      if (!(await sleep(this.timings.pollMs, options.signal))) return err(cancelledError("plan"));
    }
  }

  private held(file: string, me: LockOwner, waited: boolean): HeldLock {
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(file, now, now).catch(() => undefined);
    }, this.timings.heartbeatMs);
    heartbeat.unref();
    let released: Promise<void> | undefined;
    return {
      waited,
      release: () => {
        released ??= (async () => {
          clearInterval(heartbeat);
          // Only our own lock: had it been taken over (we looked dead), the file is someone else's now.
          const holder = await readHolder(file, this.directory);
          if (holder.ok && holder.value?.owner?.token === me.token) await unlink(file).catch(ignoreMissing);
        })();
        return released;
      },
    };
  }

  private abandoned(holder: Holder): boolean {
    if (Date.now() - holder.mtimeMs > this.timings.staleMs) return true;
    const owner = holder.owner;
    return owner !== undefined && owner.hostname === hostname() && !processAlive(owner.pid);
  }

  /** Removes an abandoned lock, unless another waiter is doing so, or it changed hands meanwhile. */
  private async breakLock(file: string, judged: Holder): Promise<void> {
    const breaker = `${file}.break`;
    try {
      await writeFile(breaker, String(process.pid), { flag: "wx" });
    } catch {
      // Another waiter is breaking it; a breaker that died in the act leaves an old file behind.
      const left = await stat(breaker).catch(() => undefined);
      if (left && Date.now() - left.mtimeMs > this.timings.staleMs) await unlink(breaker).catch(ignoreMissing);
      await sleep(this.timings.pollMs);
      return;
    }
    try {
      const now = await readHolder(file, this.directory);
      const holder = now.ok ? now.value : undefined;
      if (holder && holder.mtimeMs === judged.mtimeMs && holder.owner?.token === judged.owner?.token)
        await unlink(file).catch(ignoreMissing);
    } finally {
      await unlink(breaker).catch(ignoreMissing);
    }
  }
}

interface Holder {
  /** Undefined while the owner is still writing it (or it is damaged): then only its age counts. */
  owner: LockOwner | undefined;
  mtimeMs: number;
}

/** A lock file holds one small JSON object; anything larger was not written by a planning. */
const MAX_LOCK_FILE_BYTES = 64 * 1024;

/**
 * The lock's holder, undefined when it is gone already (released, or broken by another waiter);
 * an error when the entry is no lock at all (a FIFO, a folder, an unreadable or oversized file),
 * found without ever blocking on it.
 */
async function readHolder(file: string, directory: string): Promise<Result<Holder | undefined, string>> {
  const read = await readStoredFile(file, directory, MAX_LOCK_FILE_BYTES);
  if (read.ok) return ok({ owner: parseOwner(read.value.text), mtimeMs: read.value.mtimeMs });
  return read.error.kind === "missing" ? ok(undefined) : err(read.error.message);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockOwner>;
    if (typeof data.pid === "number" && typeof data.hostname === "string" && typeof data.token === "string") {
      return {
        pid: data.pid,
        hostname: data.hostname,
        token: data.token,
        functionName: String(data.functionName ?? ""),
        startedAt: String(data.startedAt ?? ""),
      };
    }
  } catch {
    // Half-written: the owner is between creating and writing it.
  }
  return undefined;
}

/** Signal 0 checks existence only; EPERM means it exists under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function ignoreExisting(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
