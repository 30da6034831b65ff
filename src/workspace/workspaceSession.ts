import { existsSync, watch as watchFolder } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RuntimeConfigInput } from "../engine/config";
import { workflowError, type WorkflowError } from "../engine/errors";
import type { FunctionSpec } from "../engine/functionSpec";
import { silentLogger, type Logger } from "../engine/logger";
import { err, type Result } from "../engine/result";
import { createRuntime, type LlmFunctionRuntime } from "../engine/runtime/llmFunctionRuntime";
import type { CallOptions, CallOutcome, FunctionStatus, StoredWorkflow } from "../engine/runtimeTypes";
import { ToolRegistry } from "../engine/toolRegistry";
import type { WorkflowFile } from "../engine/workflow/types";
import { DeclarationBundler } from "./discovery/declarationBundler";
import { matchesDeclarationGlobs } from "./discovery/findDeclarationFiles";
import { WorkspaceDiscovery, type DiscoveryOutcome } from "./discovery/workspaceDiscovery";
import { FunctionSpecCache } from "./functionSpecs";
import { runtimeFiles, type RuntimeFiles } from "./packagePaths";
import { hostedTool } from "./toolHost/hostedTool";
import { ToolHostClient } from "./toolHost/toolHostClient";
import { DEFAULT_STORAGE_FOLDER, type DiscoveryResult, type WorkspaceSettings } from "./workspaceTypes";


/**
 * One workspace folder turned into a runtime: its declarations discovered and loaded into an
 * isolated tool host, its functions callable and plannable. The CLI and the extension use this.
 */
export class WorkspaceSession {
  private outcome: DiscoveryOutcome;
  private currentRuntime: LlmFunctionRuntime;
  private readonly specs = new FunctionSpecCache();
  private readonly listeners = new Set<(result: DiscoveryResult) => void>();
  private refreshing: Promise<DiscoveryResult> = Promise.resolve({ tools: [], functions: [], diagnostics: [], files: [] });

  private constructor(
    private currentSettings: WorkspaceSettings,
    private readonly discoverer: WorkspaceDiscovery,
    private readonly host: ToolHostClient,
    private readonly limits: ToolLimits,
    private readonly cacheDir: string,
    outcome: DiscoveryOutcome,
    runtime: LlmFunctionRuntime,
  ) {
    this.outcome = outcome;
    this.currentRuntime = runtime;
  }

  /** Discovers and loads the folder. User-code problems become diagnostics; only bad settings throw. */
  static async open(settings: WorkspaceSettings, options: { signal?: AbortSignal } = {}): Promise<WorkspaceSession> {
    const normalized = { ...settings, folder: resolve(settings.folder) };
    const logger = normalized.logger ?? silentLogger;
    const files = runtimeFiles();
    assertBuilt(files);
    const cacheDir = await mkdtemp(join(tmpdir(), "llm-function-bundles-"));
    // Discovery starts the host only when there is something to load: a folder without declarations costs no process.
    const host = new ToolHostClient({
      script: files.toolHost,
      runtimeModules: [pathToFileURL(files.zodModule).href],
      memoryMb: normalized.hostMemoryMb,
      logger,
      loadTimeoutMs: loadTimeoutFor(normalized.toolTimeoutMs),
    });
    try {
      const discoverer = new WorkspaceDiscovery(new DeclarationBundler(normalized.folder, cacheDir, files), host, logger);
      const outcome = await discoverer.discover(normalized, [], options.signal);
      const limits: ToolLimits = { toolTimeoutMs: normalized.toolTimeoutMs };
      const runtime = await buildRuntime(normalized, outcome, host, limits);
      const session = new WorkspaceSession(normalized, discoverer, host, limits, cacheDir, outcome, runtime);
      session.refreshing = Promise.resolve(outcome.result);
      return session;
    } catch (error) {
      await host.dispose();
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

  async call(name: string, input: unknown, options?: CallOptions): Promise<Result<CallOutcome, WorkflowError>> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.call(spec, input, options) : err(this.unknownFunction(name));
  }

  async plan(name: string, options?: CallOptions): Promise<Result<WorkflowFile, WorkflowError>> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.plan(spec, options) : err(this.unknownFunction(name));
  }

  async status(name: string): Promise<FunctionStatus> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.status(spec) : "not_planned";
  }

  async workflows(name: string): Promise<StoredWorkflow[]> {
    const spec = this.functionSpec(name);
    return spec ? this.currentRuntime.workflows(spec) : [];
  }

  deleteWorkflow(file: string): Promise<Result<void, WorkflowError>> {
    return this.currentRuntime.deleteWorkflow(file);
  }

  /** Re-discovers; only files whose inputs changed (or are named) are rebuilt. Calls are serialized. */
  refresh(changedFiles: string[] = []): Promise<DiscoveryResult> {
    const next = this.refreshing.catch(() => undefined).then(() => this.rediscover(changedFiles));
    this.refreshing = next;
    return next;
  }

  /** Watches the folder and refreshes after `debounceMs` of quiet. */
  watch(debounceMs = 300): { dispose(): void } {
    const { folder, include, exclude } = this.currentSettings;
    const changed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const watcher = watchFolder(folder, { recursive: true }, (_event, name) => {
      if (!name) return;
      const file = join(folder, name.toString());
      if (/[\\/](node_modules|\.git)[\\/]/.test(file) || file.startsWith(this.storagePath)) return;
      // Declarations and anything they may import; unchanged bundles are skipped by their input signatures.
      const relevant = matchesDeclarationGlobs(folder, file, include, exclude) || /\.[cm]?[jt]sx?$|\.json$/.test(file);
      if (!relevant) return;
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed];
        changed.clear();
        this.refresh(files).catch((error: unknown) => this.logger.error(`Re-discovery failed: ${(error as Error).message}`));
      }, debounceMs);
    });
    watcher.on("error", (error) => this.logger.error(`Watching ${folder} failed: ${error.message}`));
    return {
      dispose: () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  }

  onDidChange(listener: (result: DiscoveryResult) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** LLM changes apply to the next call; discovery settings re-discover; other changes rebuild the runtime. */
  async updateSettings(settings: Partial<WorkspaceSettings>): Promise<void> {
    const previous = this.currentSettings;
    this.currentSettings = { ...previous, ...settings, folder: previous.folder };
    const next = this.currentSettings;
    this.limits.toolTimeoutMs = next.toolTimeoutMs;
    const rediscover = JSON.stringify([previous.include, previous.exclude]) !== JSON.stringify([next.include, next.exclude]);
    const rebuild =
      JSON.stringify([previous.runtime, storagePathOf(previous)]) !== JSON.stringify([next.runtime, storagePathOf(next)]);
    if (rediscover) await this.refresh();
    if (rebuild) this.currentRuntime = await buildRuntime(next, this.outcome, this.host, this.limits);
    else if (settings.llm) this.currentRuntime.setLlm(next.llm);
  }

  /** Stops the tool host and removes the bundle cache. */
  async dispose(): Promise<void> {
    this.listeners.clear();
    await this.host.dispose();
    await rm(this.cacheDir, { recursive: true, force: true });
  }

  private get logger(): Logger {
    return this.currentSettings.logger ?? silentLogger;
  }

  private async rediscover(changedFiles: string[]): Promise<DiscoveryResult> {
    const outcome = await this.discoverer.discover(this.currentSettings, changedFiles.map((f) => resolve(this.currentSettings.folder, f)));
    const toolsChanged = toolKey(outcome) !== toolKey(this.outcome);
    this.outcome = outcome;
    this.specs.retain(new Set(outcome.result.functions.map((f) => f.name)));
    if (toolsChanged) this.currentRuntime = await buildRuntime(this.currentSettings, outcome, this.host, this.limits);
    for (const listener of this.listeners) listener(outcome.result);
    return outcome.result;
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
    throw new Error(`The llm-function installation is incomplete: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing (run \`npm run build\` in the package).`);
  }
}

function storagePathOf(settings: WorkspaceSettings): string {
  return settings.storagePath ?? join(settings.folder, DEFAULT_STORAGE_FOLDER);
}

function toolKey(outcome: DiscoveryOutcome): string {
  return JSON.stringify(
    outcome.result.tools.map((t) => [t.id, t.name, outcome.addresses.get(t.name)?.file, t.exportName, t.tags, t.metadata]),
  );
}

/** Tools read the timeout at call time, so a settings change needs no rebuild. */
interface ToolLimits {
  toolTimeoutMs: number;
}

function buildRuntime(settings: WorkspaceSettings, outcome: DiscoveryOutcome, host: ToolHostClient, limits: ToolLimits): Promise<LlmFunctionRuntime> {
  const tools = outcome.result.tools.map((discovered) => {
    const address = outcome.addresses.get(discovered.name);
    if (!address) throw new Error(`Discovery lost track of where tool ${discovered.name} lives.`);
    return hostedTool(discovered, address, host, () => limits.toolTimeoutMs);
  });
  const config: RuntimeConfigInput = { ...settings.runtime, llm: settings.llm, storagePath: storagePathOf(settings) };
  return createRuntime({ config, registry: new ToolRegistry(tools), ...(settings.logger ? { logger: settings.logger } : {}) });
}
