// Starting the tool host process, apart from its client (which needs zod): the CLI starts the host
// first thing, so that the host's own start-up overlaps loading everything else.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { runtimeFiles, type RuntimeFiles } from "../packagePaths";
import {
  buildSnapshotInBackground,
  failureNoteOf,
  hostExecArgv,
  hostSnapshotFor,
  type HostSnapshot,
} from "./hostSnapshot";
import { killQuietly } from "./processTree";

/** What a host process is started with; two hosts started with equal options are interchangeable. */
export interface HostProcessOptions {
  /** The built host script (dist/toolHost.js). */
  script: string;
  /** URLs of the shared runtime modules the host imports at startup: zod first, then the SDK. */
  runtimeModules: string[];
  memoryMb: number;
  /** The startup snapshot to start from once it is built (for `runtimeModules` exactly [our zod, our SDK]). */
  snapshot?: HostSnapshot;
}

/** The built files, or undefined when no package folder holds them (the session reports it). */
function installedRuntimeFiles(): RuntimeFiles | undefined {
  try {
    return runtimeFiles();
  } catch {
    return undefined;
  }
}

/** Node's exit when it cannot load a startup snapshot: code 14 for a blob of another build, an abort for a damaged one. */
function snapshotLoadFailed(code: number | null, signal: NodeJS.Signals | null): boolean {
  return code === 14 || signal === "SIGABRT";
}

/** A host process just started. */
export interface StartedHost {
  child: ChildProcess;
  /** Resolves when the host says it is ready; rejects, naming its exit, if it ends before. */
  ready: Promise<void>;
}

/** How a workspace session starts its hosts: our built host script, with our zod and SDK, from their snapshot if it is built. */
export function hostProcessOptions(
  memoryMb: number,
  files: RuntimeFiles = runtimeFiles(),
  env: NodeJS.ProcessEnv = process.env,
): HostProcessOptions {
  const snapshot = hostSnapshotFor(files, memoryMb, env);
  return {
    script: files.toolHost,
    runtimeModules: [pathToFileURL(files.zodModule).href, pathToFileURL(files.sdkModule).href],
    memoryMb,
    ...(snapshot ? { snapshot } : {}),
  };
}

/** Starts a host; its readiness is watched from the start, so a client may take it over later. */
export function startHostProcess(options: HostProcessOptions): StartedHost {
  const { snapshot } = options;
  const fromSnapshot = snapshot !== undefined && existsSync(snapshot.blob);
  const execArgv = hostExecArgv(options.memoryMb);
  if (snapshot && !fromSnapshot && !existsSync(failureNoteOf(snapshot.blob)))
    buildSnapshotInBackground({ ...snapshot, execArgv, hostArgs: [options.script, ...options.runtimeModules] });
  // From a snapshot, the script is not run (the snapshot's own main is), but names the process as usual.
  const child = fork(options.script, options.runtimeModules, {
    execArgv: fromSnapshot ? [...execArgv, "--snapshot-blob", snapshot.blob] : execArgv,
    silent: true,
    serialization: "json",
    // Its own process group, so that closing the session can stop whatever its tools started.
    detached: process.platform !== "win32",
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (typeof message !== "object" || message === null || (message as { type?: unknown }).type !== "ready") return;
      child.off("message", onMessage);
      resolve();
    };
    child.on("message", onMessage);
    child.once("exit", (code, signal) => {
      if (!fromSnapshot || !snapshotLoadFailed(code, signal)) {
        reject(new Error(`The tool host failed to start (${code ?? signal}).`));
        return;
      }
      // A blob checked when it was built should load; if it does not, the next host starts without it.
      rmSync(snapshot.blob, { force: true });
      reject(
        new Error(
          `The tool host failed to start (${code ?? signal}) from its startup snapshot ${snapshot.blob}, now removed: the next start goes without it.`,
        ),
      );
    });
    // Until a client takes it over (and listens itself), a spawn or IPC error must not be an
    // unhandled 'error' event that kills the CLI: it fails readiness instead.
    child.once("error", reject);
  });
  // Whoever takes the host over awaits this; a host started ahead and never used must not fail the process.
  ready.catch(() => undefined);
  return { child, ready };
}

/**
 * A host started before the session that will use it exists, so that its start overlaps the
 * loading of everything else (the CLI's program, the extension's engine). The session's client
 * takes it over when it would have started an equal one itself; otherwise it is stopped.
 */
export class EarlyHost {
  private taken = false;

  /**
   * A host with the memory limit the settings give; undefined when the installation is incomplete,
   * which the session then reports in its own words (assertBuilt, packageRoot).
   */
  static start(memoryMb: number, files: RuntimeFiles | undefined = installedRuntimeFiles()): EarlyHost | undefined {
    if (!files || ![files.toolHost, files.zodModule, files.sdkModule].every((file) => existsSync(file)))
      return undefined;
    return new EarlyHost(hostProcessOptions(memoryMb, files));
  }

  constructor(
    private readonly options: HostProcessOptions,
    private readonly started: StartedHost = startHostProcess(options),
  ) {}

  /** Resolves when the host says it is ready; rejects, naming its exit, if it ends before. */
  get ready(): Promise<void> {
    return this.started.ready;
  }

  /** The host's process id (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.started.child.pid;
  }

  /** The host, once, if it was started with these options (else it is stopped, and undefined). */
  take(options: HostProcessOptions): StartedHost | undefined {
    if (this.taken) return undefined;
    if (JSON.stringify(options) === JSON.stringify(this.options)) {
      this.taken = true;
      return this.started;
    }
    this.discard();
    return undefined;
  }

  /** Stops the host unless it was taken over (its new owner stops it then). */
  discard(): void {
    if (this.taken) return;
    this.taken = true;
    const { child } = this.started;
    if (process.platform !== "win32" && child.pid !== undefined) killQuietly(-child.pid);
    child.kill("SIGKILL");
  }
}
