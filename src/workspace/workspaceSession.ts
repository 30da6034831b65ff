import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RuntimeConfigInput } from "../engine/config";
import { describeUnknown, workflowError, type WorkflowError } from "../engine/errors";
import type { FunctionSpec } from "../engine/functionSpec";
import { silentLogger, type Logger } from "../engine/logger";
import { err, type Result } from "../engine/result";
import { createRuntime, type LlmFunctionRuntime } from "../engine/runtime/llmFunctionRuntime";
import type { CallOptions, CallOutcome, FunctionState, FunctionStatus, StoredWorkflow } from "../engine/runtimeTypes";
import type { VerifyResult } from "../engine/runtime/verifyStored";
import { ToolRegistry } from "../engine/toolRegistry";
import type { WorkflowFile } from "../engine/workflow/types";
import { defaultBundleCacheFolder } from "./discovery/bundleCache";
import { DeclarationBundler, type PersistentCache } from "./discovery/declarationBundler";
import type { DeclarationSelection } from "./discovery/declarationSelection";
import { WorkspaceDiscovery, type DiscoveryOutcome } from "./discovery/workspaceDiscovery";
import { FunctionSpecCache } from "./functionSpecs";
import { toolsOfStoredWorkflows } from "./storedWorkflowTools";
import { runtimeFiles, type RuntimeFiles } from "./packagePaths";
import { hostedTool } from "./toolHost/hostedTool";
import { hostProcessOptions, type EarlyHost } from "./toolHost/hostProcess";
import { ToolHostClient } from "./toolHost/toolHostClient";
import { storagePathIn } from "./settings/settings";
import { WorkspaceError } from "./workspaceErrors";
import type { DiscoveryResult, WorkspaceSettings } from "./workspaceTypes";

/**
 * One workspace folder turned into a runtime: its declarations discovered and loaded into an
 * isolated tool host, its functions callable and plannable. The CLI and the extension use this.
 */
export class WorkspaceSession {
  private outcome: DiscoveryOutcome;
  private currentRuntime: LlmFunctionRuntime;
  private readonly specs = new FunctionSpecCache();
  private readonly listeners = new Set<(result: DiscoveryResult) => void>();
  /** Discoveries and settings changes run one at a time, in the order they were asked for. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Calls and plannings running now, so a replaced tool host can wait for the ones using it. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Replaced tool hosts still serving the calls that started on them. */
  private readonly retiring = new Set<ToolHostClient>();
  /** Tool hosts being loaded to take over (see replaceHost), so that closing can stop them too. */
  private readonly replacements = new Set<ToolHostClient>();
  private disposed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private currentSettings: WorkspaceSettings,
    private readonly bundler: DeclarationBundler,
    private host: ToolHostClient,
    private discoverer: WorkspaceDiscovery,
    private readonly cacheDir: string,
    outcome: DiscoveryOutcome,
    runtime: LlmFunctionRuntime,
  ) {
    this.outcome = outcome;
    this.currentRuntime = runtime;
  }

  /**
   * Discovers and loads the folder. User-code problems become diagnostics; only bad settings throw.
   *
   * With `functions` (running or verifying stored workflows), only the declaration files those
   * functions and their stored workflows' tools come from are loaded, as far as the bundle cache
   * knows what each file declares (files it knows nothing about are loaded too, and so are files
   * that report a problem). The rest of the folder is loaded before open() returns, so that the
   * session is complete, when a function named is not declared by the files loaded, and, to run
   * (the default purpose), when one of them is not ready on that footing (not planned, stale, a
   * name moved). Verifying judges nothing here (it records nothing): verify() loads the rest
   * itself when a workflow looks stale for want of a tool.
   */
  static async open(settings: WorkspaceSettings, options: OpenOptions = {}): Promise<WorkspaceSession> {
    const { functions, purpose = "run" } = options;
    const partial = functions === "all" || (functions?.length ?? 0) > 0;
    const selection = partial && functions ? selectionFor(settings, functions, purpose) : Promise.resolve(undefined);
    // Awaited in openSelected; this only keeps a failure before that await from going unhandled.
    selection.catch(() => undefined);
    const session = await WorkspaceSession.openSelected(settings, options, selection, partial);
    if (!session.outcome.complete && functions) {
      const { files } = session.outcome.result;
      session.logger.info(
        `Loaded ${session.outcome.rebuilt.length} of ${files.length} declaration files: the others declare nothing ${functions === "all" ? "verifying every function" : functions.join(", ")} needs.`,
      );
      if (!(await session.servesAlone(functions, purpose))) {
        try {
          await session.refresh();
        } catch (error) {
          await session.dispose();
          throw error;
        }
      }
    }
    return session;
  }

  /** Whether the files loaded are enough for what the session was opened for (see open()). */
  private async servesAlone(functions: readonly string[] | "all", purpose: OpenPurpose): Promise<boolean> {
    const declared = this.outcome.result.functions.map((f) => f.name);
    const names = functions === "all" ? declared : functions;
    if (!names.every((name) => declared.includes(name))) return false;
    if (purpose === "verify") return true;
    const ready = await Promise.all(names.map(async (name) => (await this.status(name)) === "ready"));
    return ready.every(Boolean);
  }

  private static async openSelected(
    settings: WorkspaceSettings,
    { signal, earlyHost }: OpenOptions,
    selection: Promise<DeclarationSelection | undefined>,
    runsStoredWorkflows: boolean,
  ): Promise<WorkspaceSession> {
    const normalized = { ...settings, folder: resolve(settings.folder) };
    const files = runtimeFiles();
    assertBuilt(files);
    const cacheDir = await mkdtemp(join(tmpdir(), "llm-function-bundles-"));
    const host = toolHostFor(normalized, earlyHost);
    // Running stored workflows needs the host: it starts while storage and the bundle cache are read.
    if (runsStoredWorkflows) host.warmUp();
    let bundler: DeclarationBundler | undefined;
    try {
      bundler = new DeclarationBundler(normalized.folder, cacheDir, files, persistentCacheOf(normalized));
      const discoverer = new WorkspaceDiscovery(bundler, host, loggerOf(normalized));
      const only = await selection;
      const outcome = await discoverer.discover(normalized, [], signal, only);
      const runtime = await buildRuntime(normalized, outcome, host);
      return new WorkspaceSession(normalized, bundler, host, discoverer, cacheDir, outcome, runtime);
    } catch (error) {
      await host.dispose();
      await bundler?.flush();
      await rm(cacheDir, { recursive: true, force: true });
      throw error;
    }
  }

  get settings(): WorkspaceSettings {
    return this.currentSettings;
  }

  get discovery(): DiscoveryResult {
    return this.outcome.result;
  }

  /** False while only some declaration files are loaded (see open()'s `functions`); refresh() loads the rest. */
  get isComplete(): boolean {
    return this.outcome.complete;
  }

  get runtime(): LlmFunctionRuntime {
    return this.currentRuntime;
  }

  /** The tool host's process id while one runs (for diagnostics and tests). */
  get toolHostPid(): number | undefined {
    return this.host.pid;
  }

  /** The storage folder holding `workflows/`. */
  get storagePath(): string {
    return storagePathOf(this.currentSettings);
  }

  functionSpec(name: string): FunctionSpec | undefined {
    const fn = this.outcome.result.functions.find((f) => f.name === name);
    return fn ? this.specs.specFor(fn) : undefined;
  }

  /** Runs on the runtime current when it starts: a settings change meanwhile applies to the next call. */
  async call(name: string, input: unknown, options?: CallOptions): Promise<Result<CallOutcome, WorkflowError>> {
    const spec = this.functionSpec(name);
    return spec ? this.track(this.currentRuntime.call(spec, input, options)) : err(this.unknownFunction(name));
  }

  async plan(name: string, options?: CallOptions): Promise<Result<WorkflowFile, WorkflowError>> {
    const spec = this.functionSpec(name);
    return spec ? this.track(this.currentRuntime.plan(spec, options)) : err(this.unknownFunction(name));
  }

  async status(name: string): Promise<FunctionStatus> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.status(spec) : "not_planned";
  }

  /** The status with its reason (which tool and file changed, which test fails). */
  async state(name: string): Promise<FunctionState> {
    const spec = this.functionSpec(name);
    return spec ? this.track(this.currentRuntime.state(spec)) : { status: "not_planned" };
  }

  /**
   * Replays the function's newest completed workflow on its tests (no LLM, nothing recorded).
   * Partially loaded, a workflow is stale when one of its tools is gone, or only not loaded: it is
   * judged again once the rest of the folder is, so the result is that of a full load.
   */
  async verify(name: string, options: { signal?: AbortSignal } = {}): Promise<Result<VerifyResult, WorkflowError>> {
    const spec = this.functionSpec(name);
    if (!spec) return err(this.unknownFunction(name));
    const verified = await this.track(this.currentRuntime.verify(spec, options));
    if (!verified.ok || verified.value.status !== "stale" || this.isComplete) return verified;
    await this.refresh();
    return this.verify(name, options);
  }

  async workflows(name: string): Promise<StoredWorkflow[]> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.workflows(spec) : [];
  }

  /** Every stored workflow of the folder, whether or not its function is declared (and loads) now. */
  allWorkflows(): Promise<StoredWorkflow[]> {
    return this.currentRuntime.allWorkflows();
  }

  deleteWorkflow(file: string): Promise<Result<void, WorkflowError>> {
    return this.currentRuntime.deleteWorkflow(file);
  }

  /** Re-discovers; only files whose inputs changed (or are named) are rebuilt. Calls are serialized. */
  refresh(changedFiles: string[] = []): Promise<DiscoveryResult> {
    return this.serialized(async () => {
      const settings = this.currentSettings;
      await this.reload(settings, { changedFiles: changedFiles.map((f) => resolve(settings.folder, f)) });
      return this.outcome.result;
    });
  }

  onDidChange(listener: (result: DiscoveryResult) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Applies new settings with the least disruption; calls already running keep the runtime (and
   * tool host) they started on, the next call uses the new settings:
   * - endpoint or model alone: switched in place, the in-memory workflow cache is kept;
   * - planning settings, tool timeout, storage path: the runtime is rebuilt over the same tools
   *   and tool host (the next call reads its workflow from storage again);
   * - include/exclude: re-discovered in place; files no longer matched are unloaded, new ones loaded;
   * - tool host memory: a new host is started and loaded, and serves the next call; the old one
   *   is stopped once the calls running on it have finished.
   * The folder cannot change. A settings change waits for a discovery under way, and vice versa.
   */
  updateSettings(changes: Partial<Omit<WorkspaceSettings, "folder">>): Promise<void> {
    return this.serialized(() =>
      this.applySettings({ ...this.currentSettings, ...changes, folder: this.currentSettings.folder }),
    );
  }

  /**
   * Stops the tool host (and any replaced one still finishing calls, or being loaded to take over)
   * and removes the bundle cache. A discovery or settings change under way fails with "closed";
   * later ones are refused the same way.
   */
  dispose(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  private async close(): Promise<void> {
    this.disposed = true;
    this.listeners.clear();
    const stopHosts = () =>
      Promise.all([this.host, ...this.retiring, ...this.replacements].map((host) => host.dispose()));
    // Stopping the hosts first cuts a load under way short instead of waiting for it.
    await stopHosts();
    // Its failure has been reported to its own caller.
    await this.queue.catch(() => undefined);
    // A task that finished meanwhile may have handed over a host (stopped already, as all
    // replacements were): stopping again costs nothing and leaves none behind.
    await stopHosts();
    await this.bundler.flush();
    await rm(this.cacheDir, { recursive: true, force: true });
  }

  /** Called after each await of a discovery or settings change: a closed session adopts nothing. */
  private assertOpen(): void {
    if (this.disposed)
      throw new WorkspaceError(
        "SESSION_CLOSED",
        "session",
        `The workspace session of ${this.currentSettings.folder} was closed.`,
      );
  }

  private get logger(): Logger {
    return loggerOf(this.currentSettings);
  }

  private async applySettings(next: WorkspaceSettings): Promise<void> {
    const previous = this.currentSettings;
    if (next.hostMemoryMb !== previous.hostMemoryMb) return this.replaceHost(next);
    const runtimeChanged = !sameJson(runtimeKey(previous), runtimeKey(next));
    if (!sameJson([previous.include, previous.exclude], [next.include, next.exclude])) {
      if (await this.reload(next, { rebuild: runtimeChanged })) return;
    } else if (runtimeChanged) {
      const runtime = await buildRuntime(next, this.outcome, this.host);
      this.assertOpen();
      this.currentRuntime = runtime;
      this.currentSettings = next;
      return;
    }
    this.currentSettings = next;
    // The cache survives an endpoint change: workflows do not depend on the model that planned them.
    if (!sameJson(previous.llm, next.llm)) this.currentRuntime.setLlm(next.llm);
  }

  /** A host's memory limit is fixed when it starts: a new host takes over, the old one finishes its calls. */
  private async replaceHost(next: WorkspaceSettings): Promise<void> {
    const host = toolHostFor(next);
    this.replacements.add(host);
    try {
      await this.reload(next, {
        rebuild: true,
        takeOver: { host, discoverer: new WorkspaceDiscovery(this.bundler, host, loggerOf(next)) },
      });
    } catch (error) {
      await host.dispose();
      throw error;
    } finally {
      this.replacements.delete(host);
    }
  }

  /**
   * The one reload path: discovers with `settings` (on another tool host when one is given),
   * builds a runtime when the tools changed or `rebuild` asks for one, then adopts the outcome;
   * a replaced host finishes the calls running on it. Returns whether the runtime was rebuilt.
   */
  private async reload(settings: WorkspaceSettings, options: ReloadOptions = {}): Promise<boolean> {
    const { changedFiles = [], takeOver } = options;
    const host = takeOver?.host ?? this.host;
    const outcome = await (takeOver?.discoverer ?? this.discoverer).discover(settings, changedFiles);
    this.assertOpen();
    const rebuild = options.rebuild === true || toolKey(outcome) !== toolKey(this.outcome);
    const runtime = rebuild ? await buildRuntime(settings, outcome, host) : this.currentRuntime;
    this.assertOpen();
    if (takeOver) {
      const previous = this.host;
      // Calls started from now on run on the new runtime, hence on the new host.
      const running = [...this.inFlight];
      this.host = takeOver.host;
      this.discoverer = takeOver.discoverer;
      this.retire(previous, running);
    }
    this.adopt(settings, outcome, runtime);
    return rebuild;
  }

  private retire(host: ToolHostClient, running: Promise<unknown>[]): void {
    this.retiring.add(host);
    void Promise.allSettled(running)
      .then(() => host.dispose())
      .catch((error: unknown) => this.logger.error(`Stopping the replaced tool host failed: ${describeUnknown(error)}`))
      .finally(() => this.retiring.delete(host));
  }

  /** Takes a discovery outcome with the settings it was made with and the runtime over its tools, and tells the listeners. */
  private adopt(settings: WorkspaceSettings, outcome: DiscoveryOutcome, runtime: LlmFunctionRuntime): void {
    this.currentSettings = settings;
    this.outcome = outcome;
    this.currentRuntime = runtime;
    this.specs.retain(new Set(outcome.result.functions.map((f) => f.name)));
    for (const listener of this.listeners) listener(outcome.result);
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    // A failed task has already failed its own caller; the next one runs regardless.
    const next = this.queue
      .catch(() => undefined)
      .then(() => {
        // Checked when the task's turn comes: one queued before dispose() must not start either.
        this.assertOpen();
        return task();
      });
    this.queue = next;
    return next;
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.inFlight.add(operation);
    const done = () => this.inFlight.delete(operation);
    operation.then(done, done);
    return operation;
  }

  private unknownFunction(name: string): WorkflowError {
    const known = this.outcome.result.functions.map((f) => f.name);
    return workflowError(
      "CONFIG",
      "input",
      `No LLM function named "${name}" in ${this.currentSettings.folder}. Known functions: ${known.length > 0 ? known.join(", ") : "none"}.`,
      { known },
    );
  }
}

interface ReloadOptions {
  /** Files to rebuild even if their signatures did not change. */
  changedFiles?: readonly string[];
  /** Build a new runtime even if the tools are the same (its other settings changed). */
  rebuild?: boolean;
  /** A new tool host, with the discovery that loads it, to take over from the current one. */
  takeOver?: { host: ToolHostClient; discoverer: WorkspaceDiscovery };
}

/**
 * Loading declarations (a cold import of a big dependency tree) can take far longer than one tool
 * call may, so a small per-call timeout must not make every cold load fail and restart the host.
 */
const MIN_LOAD_TIMEOUT_MS = 60_000;

function loadTimeoutFor(toolTimeoutMs: number): number {
  return Math.max(toolTimeoutMs, MIN_LOAD_TIMEOUT_MS);
}

/** A missing build output is the installation's fault, not the workspace's: say so before anything runs. */
function assertBuilt(files: RuntimeFiles): void {
  const missing = [files.toolHost, files.zodModule, files.sdkModule].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new WorkspaceError(
      "INSTALLATION_INCOMPLETE",
      "session",
      `The llm-function installation is incomplete: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing (run \`npm run build\` in the package).`,
    );
  }
}

/** Running stored workflows may plan (hence needs every tool); verifying never does. */
export type OpenPurpose = "run" | "verify";

export interface OpenOptions {
  signal?: AbortSignal;
  /** Load only what these functions' stored workflows need ("all": every function's); see WorkspaceSession.open. */
  functions?: readonly string[] | "all";
  /** What the functions are loaded for: "run" by default. */
  purpose?: OpenPurpose;
  /** A tool host started ahead (the CLI's `run`): used if it was started as this session would start one. */
  earlyHost?: EarlyHost;
}

/** Undefined when everything must be loaded: a function to run has no completed workflow, so it will plan. */
async function selectionFor(
  settings: WorkspaceSettings,
  functions: readonly string[] | "all",
  purpose: OpenPurpose,
): Promise<DeclarationSelection | undefined> {
  const { tools, unplanned } = await toolsOfStoredWorkflows(
    storagePathOf({ ...settings, folder: resolve(settings.folder) }),
    functions,
    loggerOf(settings),
  );
  return purpose === "run" && unplanned.length > 0 ? undefined : { functions, tools };
}

function persistentCacheOf(settings: WorkspaceSettings): PersistentCache | undefined {
  const folder = settings.bundleCacheFolder ?? defaultBundleCacheFolder();
  return folder === false || folder === undefined ? undefined : { folder, logger: loggerOf(settings) };
}

function storagePathOf(settings: WorkspaceSettings): string {
  return storagePathIn(settings.folder, settings.storagePath);
}

function toolKey(outcome: DiscoveryOutcome): string {
  return JSON.stringify(
    // The code fingerprint too: changed code must be judged again, not served from the old cache.
    outcome.result.tools.map((t) => [
      t.id,
      t.code?.fingerprint,
      t.name,
      outcome.addresses.get(t.name)?.file,
      t.exportName,
      t.tags,
      t.metadata,
    ]),
  );
}

function loggerOf(settings: WorkspaceSettings): Logger {
  return settings.logger ?? silentLogger;
}

/** Discovery starts the host only when there is something to load: a folder without declarations costs no process. */
function toolHostFor(settings: WorkspaceSettings, early?: EarlyHost): ToolHostClient {
  return new ToolHostClient({
    ...hostProcessOptions(settings.hostMemoryMb),
    ...(early ? { early } : {}),
    logger: loggerOf(settings),
    // Fixed for the host's life: a later tool timeout change applies to calls, not to loading.
    loadTimeoutMs: loadTimeoutFor(settings.toolTimeoutMs),
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What a runtime is built from besides its tools; the endpoint alone is switched in place. */
function runtimeKey(settings: WorkspaceSettings): unknown {
  return [settings.runtime, storagePathOf(settings), settings.toolTimeoutMs];
}

/** Each runtime's tools keep the timeout it was built with, so a change never reaches a call already running. */
function buildRuntime(
  settings: WorkspaceSettings,
  outcome: DiscoveryOutcome,
  host: ToolHostClient,
): Promise<LlmFunctionRuntime> {
  const { toolTimeoutMs } = settings;
  const tools = outcome.result.tools.map((discovered) => {
    const address = outcome.addresses.get(discovered.name);
    if (!address)
      throw new WorkspaceError("INTERNAL", "load", `Discovery lost track of where tool ${discovered.name} lives.`);
    return hostedTool(discovered, address, host, toolTimeoutMs);
  });
  const config: RuntimeConfigInput = { ...settings.runtime, llm: settings.llm, storagePath: storagePathOf(settings) };
  return createRuntime({
    config,
    registry: new ToolRegistry(tools),
    ...(settings.logger ? { logger: settings.logger } : {}),
  });
}
