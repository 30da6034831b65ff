import type { ChildProcess } from "node:child_process";
import { z } from "zod";
import { describeUnknown } from "../../engine/errors";
import { checkJsonLimits, describeViolation } from "../../engine/json/jsonLimits";
import type { Logger } from "../../engine/logger";
import { WorkspaceError, type WorkspaceStage } from "../workspaceErrors";
import { forwardLines } from "./boundedLineForwarder";
import { startHostProcess, type EarlyHost, type HostProcessOptions } from "./hostProcess";
import { descendantsOf, killQuietly } from "./processTree";
import {
  IPC_LIMITS,
  protocolSchemas,
  requestIdOf,
  type HostMessage,
  type LoadItem,
  type LoadReport,
  type ParentMessage,
} from "./protocol";

const { hostMessage: hostMessageSchema } = protocolSchemas(z);

export interface ToolHostOptions extends HostProcessOptions {
  logger: Logger;
  /** How long a batch of declaration files may take to load before the host is restarted. */
  loadTimeoutMs: number;
  /** A host already started (see EarlyHost): the first start takes it over if it was started alike. */
  early?: EarlyHost;
}

export interface HostCallOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The host process ended under a request (TOOL_HOST_EXITED): its cause is not the request's own doing alone. */
export class ToolHostExitError extends WorkspaceError {
  constructor(
    stage: WorkspaceStage,
    message: string,
    /** Another request (or nobody we can tell) brought the host down: worth one more try on a fresh host. */
    readonly retryable = false,
  ) {
    super("TOOL_HOST_EXITED", stage, message);
  }
}

interface Pending {
  /** Names what the request was about, for the messages of other failures. */
  label: string;
  /** A tool call (whose errors name no tool: the caller does) rather than a load. */
  isCall: boolean;
  resolve(message: HostMessage): void;
  reject(error: Error): void;
}

interface RunningHost {
  child: ChildProcess;
  pending: Map<number, Pending>;
  /** Cancelled requests whose reply has not come yet. */
  cancelled: Set<number>;
  /** Set when we kill the host on purpose, so in-flight requests learn why. */
  killReason?: string;
  /** Whether the calls in flight when we killed it had nothing to do with it (a timeout of another call). */
  innocentWhenKilled?: boolean;
  /** The host said it ran out of memory before it died. */
  outOfMemory?: boolean;
}

/** Grace given to a cancelled call to return before the host is restarted. */
const CANCEL_GRACE_MS = 2000;

/**
 * The parent's end of the tool host: starts it on demand, replays loaded bundles after a
 * restart, and turns timeouts, crashes and cancellations into failed requests.
 */
export class ToolHostClient {
  private host: RunningHost | undefined;
  private starting: Promise<RunningHost> | undefined;
  private readonly loaded = new Map<string, LoadItem>();
  private nextRequestId = 1;
  private replayInBatch = true;
  private disposed = false;
  /** Calls retried after the host went down under them run one at a time: a culprit among them then fails alone. */
  private retryLane: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ToolHostOptions) {}

  /**
   * Loads (or reloads) declaration bundles in one request and reports their exports, in order.
   * `onSent` runs once the request is written to the host: work meant to overlap the load waits
   * for it, since a busy event loop here would slow the writing of a large request.
   */
  async load(items: LoadItem[], onSent?: () => void): Promise<LoadReport[]> {
    if (items.length === 0) return [];
    const host = await this.ensureHost();
    const what = items.length === 1 ? items[0]!.file : `${items.length} declaration files`;
    const reply = await this.request(host, { type: "load", requestId: 0, items }, `loading ${what}`, {
      timeoutMs: this.options.loadTimeoutMs,
      timeoutMessage: `${what} did not finish loading within ${this.options.loadTimeoutMs} ms; the tool host was restarted.`,
      ...(onSent ? { onSent } : {}),
    });
    if (reply.type !== "loaded" || reply.reports.length !== items.length)
      throw new WorkspaceError("TOOL_HOST_PROTOCOL", "load", `Unexpected reply to a load: ${reply.type}`);
    for (const item of items) this.loaded.set(item.file, item);
    return reply.reports;
  }

  /** Starts the host ahead of its first request (e.g. while bundles build); failures resurface on use. */
  warmUp(): void {
    this.ensureHost().catch(() => undefined);
  }

  unload(file: string): void {
    this.loaded.delete(file);
    if (this.host?.child.connected) this.host.child.send({ type: "unload", file } satisfies ParentMessage);
  }

  /**
   * Runs one tool; rejects with what went wrong (the tool's own error, a timeout, the host going
   * down), leaving it to the caller to name the tool. A call the host went down under, when
   * other calls were in flight too, is retried once on the fresh host, alone.
   */
  async call(
    file: string,
    exportName: string,
    toolName: string,
    input: unknown,
    options: HostCallOptions,
  ): Promise<unknown> {
    try {
      return await this.callOnce(file, exportName, toolName, input, options);
    } catch (error) {
      if (!(error instanceof ToolHostExitError) || !error.retryable || options.signal?.aborted || this.disposed)
        throw error;
      this.options.logger.warn(`Tool "${toolName}": ${error.message}; retrying it once on the restarted host.`);
      return this.inRetryLane(async () => {
        try {
          return await this.callOnce(file, exportName, toolName, input, options);
        } catch (again) {
          if (again instanceof ToolHostExitError && again.retryable)
            throw new ToolHostExitError("call", `the tool host went down under it twice (${again.message})`);
          throw again;
        }
      });
    }
  }

  private async callOnce(
    file: string,
    exportName: string,
    toolName: string,
    input: unknown,
    options: HostCallOptions,
  ): Promise<unknown> {
    options.signal?.throwIfAborted();
    const host = await this.ensureHost();
    const reply = await this.request(
      host,
      { type: "call", requestId: 0, file, exportName, input },
      `tool "${toolName}"`,
      {
        timeoutMs: options.timeoutMs,
        timeoutMessage: `it timed out after ${options.timeoutMs} ms; the tool host was restarted.`,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
    if (reply.type !== "result")
      throw new WorkspaceError("TOOL_HOST_PROTOCOL", "call", `the tool host sent an unexpected reply (${reply.type}).`);
    if (!reply.ok) throw new WorkspaceError("TOOL_FAILED", "call", reply.message);
    return reply.output;
  }

  private inRetryLane<T>(retry: () => Promise<T>): Promise<T> {
    const run = this.retryLane.then(retry, retry);
    this.retryLane = run.catch(() => undefined);
    return run;
  }

  /** The host's process id, while one runs (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.host?.child.pid;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const host = this.host ?? (await this.starting?.catch(() => undefined));
    if (host) await this.kill(host, "the workspace session was closed", false);
  }

  private request(
    host: RunningHost,
    message: Extract<ParentMessage, { type: "load" | "call" }>,
    label: string,
    limits: { timeoutMs: number; timeoutMessage: string; signal?: AbortSignal; onSent?: () => void },
  ): Promise<HostMessage> {
    const requestId = this.nextRequestId++;
    const stage = message.type;
    return new Promise<HostMessage>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        limits.signal?.removeEventListener("abort", onAbort);
        host.pending.delete(requestId);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new WorkspaceError("TOOL_TIMEOUT", stage, limits.timeoutMessage));
        void this.kill(host, `the host was restarted because ${label} timed out`, true);
      }, limits.timeoutMs);
      const onAbort = (): void => {
        host.pending.delete(requestId);
        clearTimeout(timer);
        limits.signal?.removeEventListener("abort", onAbort);
        reject(new WorkspaceError("TOOL_CANCELLED", stage, `${capitalize(label)} was cancelled.`));
        if (host.child.connected) host.child.send({ type: "cancel", requestId } satisfies ParentMessage);
        // A tool that ignores its signal would keep running: give it a moment, then restart.
        host.cancelled.add(requestId);
        const graceTimer = setTimeout(() => {
          if (host.cancelled.delete(requestId))
            void this.kill(host, `the host was restarted because ${label} ignored its cancellation`, true);
        }, CANCEL_GRACE_MS);
        graceTimer.unref();
      };
      limits.signal?.addEventListener("abort", onAbort, { once: true });
      host.pending.set(requestId, {
        label,
        isCall: message.type === "call",
        resolve: (reply) => {
          cleanup();
          resolve(reply);
        },
        reject: (error) => {
          cleanup();
          reject(error);
        },
      });
      try {
        // A closed channel is reported to the callback, not thrown; a host that is exiting also fails the request through its exit handler.
        host.child.send({ ...message, requestId }, (error) => {
          if (!error) limits.onSent?.();
          const pending = host.pending.get(requestId);
          if (error)
            pending?.reject(
              new ToolHostExitError(
                stage,
                `${pending.isCall ? "" : `${capitalize(label)} failed: `}the tool host is gone (${error.message}).`,
                pending.isCall,
              ),
            );
        });
      } catch (error) {
        // A value JSON cannot carry (a BigInt, a cycle) throws here: only this request fails, the host keeps running.
        const pending = host.pending.get(requestId);
        pending?.reject(
          new WorkspaceError(
            "TOOL_INPUT_NOT_JSON",
            stage,
            `${pending.isCall ? "" : `${capitalize(label)} failed: `}its input cannot be sent to the tool host as JSON (${describeUnknown(error)}).`,
          ),
        );
      }
    });
  }

  private ensureHost(): Promise<RunningHost> {
    if (this.disposed)
      return Promise.reject(new WorkspaceError("SESSION_CLOSED", "session", "The workspace session was closed."));
    if (this.host) return Promise.resolve(this.host);
    this.starting ??= this.start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async start(): Promise<RunningHost> {
    const { script, runtimeModules, memoryMb, snapshot } = this.options;
    const processOptions: HostProcessOptions = { script, runtimeModules, memoryMb, ...(snapshot ? { snapshot } : {}) };
    const { child, ready: started } = this.options.early?.take(processOptions) ?? startHostProcess(processOptions);
    const host: RunningHost = { child, pending: new Map(), cancelled: new Set() };
    const { logger } = this.options;
    if (child.stdout) forwardLines(child.stdout, (line) => logger.info(`[tool] ${line}`));
    if (child.stderr) {
      forwardLines(child.stderr, (line) => {
        if (OUT_OF_MEMORY.test(line)) host.outOfMemory = true;
        logger.warn(`[tool] ${line}`);
      });
    }

    child.on("message", (raw: unknown) => {
      // Before the schema, which walks the message recursively.
      const tooBig = checkJsonLimits(raw, IPC_LIMITS);
      if (tooBig) {
        const requestId = requestIdOf(raw);
        const pending =
          requestId === undefined || host.cancelled.delete(requestId) ? undefined : host.pending.get(requestId);
        if (pending)
          pending.reject(
            new WorkspaceError(
              "TOOL_FAILED",
              stageOf(pending),
              `its reply from the tool host is refused: ${describeViolation(tooBig)}`,
            ),
          );
        else logger.error(`Ignored a message from the tool host: ${describeViolation(tooBig)}`);
        return;
      }
      const parsed = hostMessageSchema.safeParse(raw);
      if (!parsed.success) {
        logger.error(`Ignored a malformed message from the tool host: ${parsed.error.message}`);
        return;
      }
      const message = parsed.data;
      // Readiness is watched by startHostProcess.
      if (message.type !== "ready" && !host.cancelled.delete(message.requestId))
        host.pending.get(message.requestId)?.resolve(message);
    });
    child.on("exit", (code, signal) => {
      if (this.host === host) this.host = undefined;
      stopProcessGroup(child);
      // V8 says so on stderr just before it aborts; give that line a moment to arrive.
      const settle =
        signal === "SIGABRT" || code === 134 ? new Promise((resolve) => setTimeout(resolve, 100)) : Promise.resolve();
      void settle.then(() => this.failInFlight(host, signal ? `signal ${signal}` : `code ${code}`));
    });
    child.on("error", (error) => logger.error(`Tool host: ${error.message}`));
    try {
      await started;
    } catch (error) {
      throw new ToolHostExitError("session", (error as Error).message);
    }
    // A host started ahead (see EarlyHost) may have exited, after saying it was ready, before these listeners were added.
    if (child.exitCode !== null || child.signalCode !== null)
      throw new ToolHostExitError(
        "session",
        `The tool host exited (${child.exitCode ?? child.signalCode}) as it started.`,
      );
    await this.replayLoads(host);
    this.host = host;
    return host;
  }

  /**
   * A restarted host gets back every bundle the previous one had: in one request, or one by one
   * after a batch failed, so that a file that takes the host down is found and dropped.
   */
  private async replayLoads(host: RunningHost): Promise<void> {
    const items = [...this.loaded.values()];
    if (items.length === 0) return;
    if (this.replayInBatch) {
      try {
        await this.request(host, { type: "load", requestId: 0, items }, `reloading ${items.length} declaration files`, {
          timeoutMs: this.options.loadTimeoutMs,
          timeoutMessage: `The declaration files did not reload within ${this.options.loadTimeoutMs} ms.`,
        });
        return;
      } catch (error) {
        this.replayInBatch = false;
        this.options.logger.error(
          `Could not reload the declaration files into the restarted tool host: ${(error as Error).message}`,
        );
        if (isGone(host)) throw error;
      }
    }
    for (const item of items) {
      try {
        await this.request(host, { type: "load", requestId: 0, items: [item] }, `reloading ${item.file}`, {
          timeoutMs: this.options.loadTimeoutMs,
          timeoutMessage: `${item.file} did not reload within ${this.options.loadTimeoutMs} ms.`,
        });
      } catch (error) {
        this.loaded.delete(item.file);
        this.options.logger.error(
          `Could not reload ${item.file} into the restarted tool host: ${(error as Error).message}`,
        );
        if (isGone(host)) throw error;
      }
    }
    this.replayInBatch = true;
  }

  /**
   * Fails the requests a host took down with it. Alone in flight, a call brought the host down
   * itself; with others, nobody can tell which did, so each may try once more.
   */
  private failInFlight(host: RunningHost, exit: string): void {
    const pending = [...host.pending.values()];
    const calls = pending.filter((p) => p.isCall);
    const crash = host.outOfMemory
      ? `it ran out of memory, over the ${this.options.memoryMb} MB limit`
      : `it exited with ${exit}`;
    for (const request of pending) {
      if (host.killReason !== undefined) {
        const retry = request.isCall && host.innocentWhenKilled === true;
        request.reject(
          new ToolHostExitError(
            stageOf(request),
            request.isCall ? `${host.killReason}.` : `${capitalize(request.label)} failed: ${host.killReason}.`,
            retry,
          ),
        );
      } else if (!request.isCall) {
        request.reject(
          new ToolHostExitError(
            "load",
            `${capitalize(request.label)} failed: the tool host exited (${host.outOfMemory ? "out of memory" : exit}).`,
          ),
        );
      } else if (calls.length === 1) {
        request.reject(
          new ToolHostExitError(
            "call",
            `it brought the tool host down (${crash}); the host restarts on the next call.`,
          ),
        );
      } else {
        const others = calls.filter((c) => c !== request).map((c) => c.label);
        request.reject(
          new ToolHostExitError(
            "call",
            `the tool host went down while it ran alongside ${others.join(", ")} (${crash})`,
            true,
          ),
        );
      }
    }
    if (!host.killReason) {
      const running = calls.length > 0 ? ` while running ${calls.map((c) => c.label).join(", ")}` : "";
      this.options.logger.warn(
        `The tool host went down${running} (${host.outOfMemory ? "out of memory" : exit}); it restarts on the next call.`,
      );
    }
  }

  private kill(host: RunningHost, reason: string, innocent: boolean): Promise<void> {
    if (host.killReason === undefined) {
      host.killReason = reason;
      host.innocentWhenKilled = innocent;
    }
    if (this.host === host) this.host = undefined;
    if (host.child.exitCode !== null || host.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      host.child.once("exit", () => resolve());
      // Found before the host dies: after, they belong to init and cannot be told from anyone's.
      const descendants = host.child.pid === undefined ? [] : descendantsOf(host.child.pid);
      stopProcessGroup(host.child);
      host.child.kill("SIGKILL");
      for (const pid of descendants) killQuietly(pid);
    });
  }
}

const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

/**
 * Kills what the host started and left running: it leads its own process group (POSIX), so
 * every descendant that did not move to a group of its own goes with it.
 */
function stopProcessGroup(child: ChildProcess): void {
  if (process.platform !== "win32" && child.pid !== undefined) killQuietly(-child.pid);
}

function isGone(host: RunningHost): boolean {
  return host.child.exitCode !== null || host.child.signalCode !== null || host.killReason !== undefined;
}

function stageOf(request: Pending): WorkspaceStage {
  return request.isCall ? "call" : "load";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
