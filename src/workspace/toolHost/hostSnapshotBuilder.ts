// Building a tool host startup snapshot (see hostSnapshot.ts): into a temporary file, checked by
// starting a host from it, then renamed into place, so that a host never starts from a partial or
// unloadable blob. A build that fails leaves a note beside the blob's name saying why, and no
// builder tries that blob again (another binary, flag or build of the script is another blob). One builder at a time per blob, by a lock file; a lock older than LOCK_STALE_MS
// was left by a builder that died and is taken over.
import { spawn } from "node:child_process";
import { mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { failureNoteOf, SELF_CHECK, type SnapshotBuild } from "./hostSnapshot";

const LOCK_STALE_MS = 120_000;
/** Blobs of other binaries, flags or builds of the script kept beside the current one (~6 MB each). */
const KEEP_OTHERS = 3;

export type SnapshotBuildOutcome = { kind: "built" } | { kind: "busy" } | { kind: "failed"; message: string };

export async function buildHostSnapshot(build: SnapshotBuild): Promise<SnapshotBuildOutcome> {
  const folder = dirname(build.blob);
  await mkdir(folder, { recursive: true });
  const lock = `${build.blob}.lock`;
  if (!(await takeLock(lock))) return { kind: "busy" };
  const temporary = `${build.blob}.${process.pid}.tmp`;
  try {
    const made = await runNode([...build.execArgv, "--snapshot-blob", temporary, "--build-snapshot", build.source]);
    const checked =
      made === undefined
        ? await runNode([...build.execArgv, "--snapshot-blob", temporary, ...build.hostArgs, SELF_CHECK])
        : undefined;
    const failure =
      made !== undefined
        ? `building the snapshot failed: ${made}`
        : checked !== undefined
          ? `a host does not start from the new snapshot: ${checked}`
          : undefined;
    if (failure !== undefined) {
      await writeFile(failureNoteOf(build.blob), `${failure}\n`);
      return { kind: "failed", message: failure };
    }
    await rename(temporary, build.blob);
    await pruneOthers(folder, basename(build.blob));
    return { kind: "built" };
  } finally {
    await rm(temporary, { force: true });
    await rm(lock, { force: true });
  }
}

async function takeLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await (await open(lock, "wx")).close();
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const held = await stat(lock).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs < LOCK_STALE_MS) return false;
      await unlink(lock).catch(() => undefined);
    }
  }
  return false;
}

/** Runs node with these arguments; undefined when it exits 0, else what went wrong (its stderr's end). */
function runNode(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], windowsHide: true });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on("error", (error) => resolve(error.message));
    child.on("close", (code, signal) =>
      resolve(code === 0 ? undefined : `${stderr.trim() || "no output"} (exit ${code ?? signal})`),
    );
  });
}

async function pruneOthers(folder: string, current: string): Promise<void> {
  const blobs = (await readdir(folder)).filter((name) => name.endsWith(".blob") && name !== current);
  const dated = await Promise.all(
    blobs.map(async (name) => ({
      name,
      mtimeMs: (await stat(join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  );
  dated.sort((a, b) => b.mtimeMs - a.mtimeMs);
  await Promise.all(dated.slice(KEEP_OTHERS).map(({ name }) => rm(join(folder, name), { force: true })));
}
