// Starting the tool host process, apart from its client (which needs zod): the CLI starts the host
// first thing for `run`, so that the host's own start-up overlaps loading everything else.
import { fork, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { runtimeFiles, type RuntimeFiles } from "../packagePaths";
import { killQuietly } from "./processTree";

/** What a host process is started with; two hosts started with equal options are interchangeable. */
export interface HostProcessOptions {
  /** The built host script (dist/toolHost.js). */
  script: string;
  /** URLs of the shared runtime modules the host imports at startup: zod first, then the SDK. */
  runtimeModules: string[];
  memoryMb: number;
}

/** A host process just started. */
export interface StartedHost {
  child: ChildProcess;
  /** Resolves when the host says it is ready; rejects, naming its exit, if it ends before. */
  ready: Promise<void>;
}

/** How a workspace session starts its hosts: our built host script, with our zod. */
export function hostProcessOptions(memoryMb: number, files: RuntimeFiles = runtimeFiles()): HostProcessOptions {
  return { script: files.toolHost, runtimeModules: [pathToFileURL(files.zodModule).href], memoryMb };
}

/** Starts a host; its readiness is watched from the start, so a client may take it over later. */
export function startHostProcess(options: HostProcessOptions): StartedHost {
  // The host turns source maps on itself once the runtime modules are in (their maps are large).
  const child = fork(options.script, options.runtimeModules, {
    execArgv: [`--max-old-space-size=${options.memoryMb}`],
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
    child.once("exit", (code, signal) => reject(new Error(`The tool host failed to start (${code ?? signal}).`)));
    // Until a client takes it over (and listens itself), a spawn or IPC error must not be an
    // unhandled 'error' event that kills the CLI: it fails readiness instead.
    child.once("error", reject);
  });
  // Whoever takes the host over awaits this; a host started ahead and never used must not fail the process.
  ready.catch(() => undefined);
  return { child, ready };
}

/**
 * A host started before the session that will use it exists (see the CLI's `run`). The session's
 * client takes it over when it would have started an equal one itself; otherwise it is stopped.
 */
export class EarlyHost {
  private taken = false;

  constructor(
    private readonly options: HostProcessOptions,
    private readonly started: StartedHost = startHostProcess(options),
  ) {}

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
