// The tool host's startup snapshot: a V8 heap with our zod, the SDK and the host's schemas already
// evaluated, which a host starts from instead of evaluating them (~80–120 ms of every start).
// A blob only loads in the node binary, and with the V8 flags, it was built with, so each is built
// here, lazily, in the cache folder: the first host starts without one and a detached process
// builds it for the next (see hostSnapshotBuilder.ts). Zod-free: the CLI's small start uses it.
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { sha256 } from "../../engine/hash";
import { cacheRoot } from "../cacheRoot";
import type { RuntimeFiles } from "../packagePaths";

/** Where a host's snapshot is, or goes once built, and what builds it. */
export interface HostSnapshot {
  blob: string;
  /** dist/toolHostSnapshot.js, the script the blob is built from. */
  source: string;
  /** dist/toolHostSnapshotBuilder.js, which builds and checks a blob in the background. */
  builder: string;
}

/** What the builder needs: the snapshot, and how hosts start from it. */
export interface SnapshotBuild extends HostSnapshot {
  /** The host's V8 flags, which the blob must be built with. */
  execArgv: string[];
  /** The host script and its arguments (the runtime modules' URLs), for the blob's self-check. */
  hostArgs: string[];
}

export const SNAPSHOT_FOLDER = "host-snapshots";
/** The argument that makes a host started from a new snapshot check it and exit (see hostSnapshotBuilder.ts). */
export const SELF_CHECK = "--llmfn-snapshot-self-check";

/** Beside a blob that could not be built: why, so that no builder tries it again. */
export function failureNoteOf(blob: string): string {
  return `${blob}.failed.txt`;
}

/** The V8 flags of a host with this memory limit, from a snapshot or not. */
export function hostExecArgv(memoryMb: number): string[] {
  return [`--max-old-space-size=${memoryMb}`];
}

/**
 * The snapshot hosts with this memory limit start from: undefined when the cache folder is off,
 * LLMFN_HOST_SNAPSHOT is "off", the snapshot script is not built, or under Electron (VS Code
 * desktop's extension host), whose node build is not known to load snapshots.
 */
export function hostSnapshotFor(
  files: RuntimeFiles,
  memoryMb: number,
  env: NodeJS.ProcessEnv = process.env,
): HostSnapshot | undefined {
  if (process.versions.electron !== undefined || env.LLMFN_HOST_SNAPSHOT?.trim() === "off") return undefined;
  const root = cacheRoot(env);
  if (root === undefined) return undefined;
  let built: { size: number; mtimeMs: number };
  try {
    built = statSync(files.toolHostSnapshot);
  } catch {
    return undefined;
  }
  // Named by all that makes a blob load and be current: the binary, the flags and the script it holds.
  const key = sha256(
    process.execPath,
    process.version,
    process.arch,
    hostExecArgv(memoryMb).join(" "),
    files.toolHostSnapshot,
    String(built.size),
    String(built.mtimeMs),
  ).slice(0, 16);
  return {
    blob: join(root, SNAPSHOT_FOLDER, `toolHost-${key}.blob`),
    source: files.toolHostSnapshot,
    builder: files.toolHostSnapshotBuilder,
  };
}

/** Starts a detached builder, which outlives this process; it does nothing if another is at work on the blob. */
export function buildSnapshotInBackground(build: SnapshotBuild): void {
  const builder = spawn(process.execPath, [build.builder, JSON.stringify(build)], {
    detached: true,
    stdio: "ignore",
    windowsHide: true,
  });
  // A builder that cannot start costs only the speed-up; the host starts as before.
  builder.on("error", () => undefined);
  builder.unref();
}
