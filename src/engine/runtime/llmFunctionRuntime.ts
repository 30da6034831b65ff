import { z } from "zod";
import { isFatal, PlanningContext } from "../assembler/planningContext";
import { planWorkflow } from "../assembler/assembler";
import { runtimeConfigSchema, type LlmBackendConfig, type RuntimeConfig, type RuntimeConfigInput } from "../config";
import { cancelledError, describeUnknown, LlmFunctionError, workflowError, type WorkflowError } from "../errors";
import type { FunctionSpec } from "../functionSpec";
import { checkJsonLimits, describeViolation } from "../json/jsonLimits";
import { formatIssues } from "../json/validationIssues";
import { createLlmClient } from "../llm/createLlmClient";
import type { LlmClient } from "../llm/llmClient";
import { silentLogger, type Logger } from "../logger";
import { err, ok, type Result } from "../result";
import type { ProgressListener } from "../progress";
import type { CallOptions, CallOutcome, FunctionStatus, StoredWorkflow } from "../runtimeTypes";
import { WorkflowStore } from "../storage/workflowStore";
import { ToolRegistry, type ToolSource } from "../toolRegistry";
import { compileWorkflow, type CompiledWorkflow } from "../workflow/runWorkflow";
import type { WorkflowFile } from "../workflow/types";
import { inputIdOf, taskOf } from "./taskOf";

export interface RuntimeOptions {
  config: RuntimeConfigInput;
  /** Where tools come from; each is loaded once. */
  sources?: readonly ToolSource[];
  /** A prebuilt toolset; passing it together with sources is an error. */
  registry?: ToolRegistry;
  /** Overrides `config.llm`, e.g. for a custom backend. */
  llm?: LlmClient;
  logger?: Logger;
}

/** A workflow ready to run, as the in-memory cache holds it. */
interface CacheEntry {
  workflow: WorkflowFile;
  /** Absent for incomplete workflows, which are never run. */
  compiled: CompiledWorkflow | undefined;
  file: string | undefined;
  /** Planned by this runtime instance (a runtime-wide forceReplan replans everything else once). */
  plannedHere: boolean;
}

type Actualized = { entry: CacheEntry; reused: boolean };

/** One planning in progress and the callers waiting for it. */
interface SharedPlanning {
  promise: Promise<Result<CacheEntry, WorkflowError>>;
  controller: AbortController;
  listeners: Set<ProgressListener>;
  waiting: number;
}

function configError(message: string): LlmFunctionError {
  return new LlmFunctionError(workflowError("CONFIG", "config", message));
}

/** Builds a runtime: validates the configuration and resolves the tools once. */
export async function createRuntime(options: RuntimeOptions): Promise<LlmFunctionRuntime> {
  const parsed = runtimeConfigSchema.safeParse(options.config);
  if (!parsed.success) throw configError(`Invalid runtime configuration: ${z.prettifyError(parsed.error)}`);
  if (options.registry && options.sources) throw configError("Pass either a tool registry or tool sources, not both.");
  let registry = options.registry;
  if (!registry) {
    const loaded = await Promise.all((options.sources ?? []).map((source) => source.load()));
    registry = new ToolRegistry(loaded.flat());
  }
  return new LlmFunctionRuntime(parsed.data, registry, options.llm ?? createLlmClient(parsed.data.llm, options.logger), options.logger ?? silentLogger);
}

/**
 * The shared execution object: one toolset, one LLM client, one in-memory workflow cache and one
 * store, used by every function bound to it. A function's workflow is planned at most once at a time.
 */
export class LlmFunctionRuntime {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly planning = new Map<string, SharedPlanning>();
  private readonly inputIds = new WeakMap<FunctionSpec, string>();
  private readonly store: WorkflowStore | undefined;
  private client: LlmClient;

  constructor(
    readonly config: RuntimeConfig,
    readonly tools: ToolRegistry,
    llm: LlmClient,
    private readonly logger: Logger,
  ) {
    this.client = llm;
    this.store = config.storagePath === undefined ? undefined : new WorkflowStore(config.storagePath, logger);
  }

  get llm(): LlmClient {
    return this.client;
  }

  /** Applies to the next LLM call; workflows already planned are unaffected. */
  setLlm(llm: LlmClient | LlmBackendConfig): void {
    this.client = "chat" in llm ? llm : createLlmClient(llm, this.logger);
  }

  inputId(spec: FunctionSpec): string {
    let id = this.inputIds.get(spec);
    if (id === undefined) {
      id = inputIdOf(spec);
      this.inputIds.set(spec, id);
    }
    return id;
  }

  /** Never rejects: a failure, even a bug of ours, comes back as an error value. */
  async call(spec: FunctionSpec, input: unknown, options: CallOptions = {}): Promise<Result<CallOutcome, WorkflowError>> {
    try {
      return await this.callUnguarded(spec, input, options);
    } catch (error) {
      return err(unexpected("run", error));
    }
  }

  private async callUnguarded(spec: FunctionSpec, input: unknown, options: CallOptions): Promise<Result<CallOutcome, WorkflowError>> {
    // Before zod, which would overflow the stack on deep input.
    const tooBig = checkJsonLimits(input);
    if (tooBig) {
      return err(workflowError("INPUT_VALIDATION", "input", `The input of ${spec.name} is refused: ${describeViolation(tooBig)}.`, { limit: tooBig.limit, path: tooBig.path }));
    }
    const validated = spec.validateInput(input);
    if (!validated.ok) {
      const issues = formatIssues(validated.error);
      return err(workflowError("INPUT_VALIDATION", "input", `The input of ${spec.name} is invalid: ${issues}`, { issues: validated.error }));
    }
    // The cached path stays synchronous up to the run: it is the hot path of every call.
    const actualized = this.fromMemory(spec, options) ?? (await this.actualize(spec, options));
    if (!actualized.ok) return actualized;
    return this.run(spec, actualized.value, validated.value, options);
  }

  /** Never rejects, like call(). */
  async plan(spec: FunctionSpec, options: CallOptions = {}): Promise<Result<WorkflowFile, WorkflowError>> {
    let actualized: Result<Actualized, WorkflowError>;
    try {
      actualized = await this.actualize(spec, options);
    } catch (error) {
      return err(unexpected("plan", error));
    }
    if (!actualized.ok) return actualized;
    const { workflow } = actualized.value.entry;
    if (!workflow.completed) return err(workflow.lastError ?? incomplete(spec));
    return ok(workflow);
  }

  async status(spec: FunctionSpec): Promise<FunctionStatus> {
    const cached = this.cache.get(this.inputId(spec));
    if (cached) return cached.workflow.completed ? "ready" : "failed";
    const stored = await this.storedWorkflows(spec);
    if (stored.length === 0) return "not_planned";
    const completed = stored.find((s) => s.workflow.completed);
    if (!completed) return "failed";
    return this.compile(completed.workflow).ok ? "ready" : "stale";
  }

  async workflows(spec: FunctionSpec): Promise<StoredWorkflow[]> {
    return this.storedWorkflows(spec);
  }

  /** Every stored workflow, of any function, newest first: also those whose declaration is not loaded now. */
  async allWorkflows(): Promise<StoredWorkflow[]> {
    return this.store ? this.store.list() : [];
  }

  /**
   * Drops the in-memory workflows that the files no longer back: a file deleted, or a newer
   * completed one written behind this runtime (another process, a pull). Workflows this runtime
   * planned and saved itself stay, so do failed plannings that no completed file supersedes.
   */
  async reconcileWithStorage(): Promise<void> {
    const store = this.store;
    if (!store) return;
    await Promise.all(
      [...this.cache].map(async ([inputId, entry]) => {
        const newest = await store.newestCompleted(inputId);
        const current = entry.workflow.completed ? newest?.file === entry.file : newest === undefined;
        if (!current && this.cache.get(inputId) === entry) this.cache.delete(inputId);
      }),
    );
  }

  async deleteWorkflow(file: string): Promise<Result<void, WorkflowError>> {
    if (!this.store) return err(workflowError("STORAGE", "storage", "This runtime has no storage path, so it keeps no workflow files."));
    const deleted = await this.store.delete(file);
    if (deleted.ok) {
      for (const [key, entry] of this.cache) if (entry.file === file) this.cache.delete(key);
    }
    return deleted;
  }

  private async storedWorkflows(spec: FunctionSpec): Promise<StoredWorkflow[]> {
    if (this.store) return this.store.list(this.inputId(spec));
    const cached = this.cache.get(this.inputId(spec));
    return cached ? [{ file: "", workflow: cached.workflow }] : [];
  }

  private compile(workflow: WorkflowFile): Result<CompiledWorkflow, WorkflowError> {
    return compileWorkflow(workflow.steps, this.tools);
  }

  private async run(spec: FunctionSpec, actualized: Actualized, input: unknown, options: CallOptions): Promise<Result<CallOutcome, WorkflowError>> {
    const { entry, reused } = actualized;
    if (!entry.compiled) return err(reused ? replayedFailure(spec, entry) : (entry.workflow.lastError ?? incomplete(spec)));
    options.onProgress?.({ stage: "run", status: "start", functionName: spec.name, message: `Running ${entry.workflow.steps.length - 1} tool steps` });
    const result = await entry.compiled.run(input, { validateOutput: spec.validateOutput, trace: options.trace ?? true, signal: options.signal });
    if (!result.ok) {
      options.onProgress?.({ stage: "run", status: "error", functionName: spec.name, message: result.error.message, error: result.error });
      return result;
    }
    options.onProgress?.({ stage: "run", status: "ok", functionName: spec.name, message: "Done" });
    return ok({ output: result.value.output, workflow: entry.workflow, trace: result.value.trace, reused });
  }

  /** The in-memory cache entry, unless this call or the runtime's configuration asks to replan. */
  private fromMemory(spec: FunctionSpec, options: CallOptions): Result<Actualized, WorkflowError> | undefined {
    if (options.forceReplan === true) return undefined;
    const cached = this.cache.get(this.inputId(spec));
    if (!cached || (this.config.forceReplan && !cached.plannedHere)) return undefined;
    // Served from memory is reused, whoever planned it: only the call that planned is "new".
    return ok({ entry: cached, reused: true });
  }

  /** Cache, else the newest completed file, else a new plan (saved and cached). */
  private async actualize(spec: FunctionSpec, options: CallOptions): Promise<Result<Actualized, WorkflowError>> {
    const cached = this.fromMemory(spec, options);
    if (cached) return cached;
    const inputId = this.inputId(spec);
    let stale: string | undefined;
    if (options.forceReplan !== true && !this.config.forceReplan) {
      const stored = await this.loadStored(spec, inputId, options, (reason) => {
        stale = reason;
      });
      if (stored) return ok({ entry: stored, reused: true });
    }
    const planned = await this.planOnce(spec, inputId, options);
    if (planned.ok) return ok({ entry: planned.value, reused: false });
    // "Cannot reach Ollama" alone would not say why an LLM was needed for a function that has a workflow.
    if (stale !== undefined && isFatal(planned.error)) {
      const { error } = planned;
      return err({ ...error, message: `The stored workflow is stale (${stale}); replanning it failed: ${error.message}`, details: { ...error.details, stale } });
    }
    return planned;
  }

  private async loadStored(spec: FunctionSpec, inputId: string, options: CallOptions, onStale?: (reason: string) => void): Promise<CacheEntry | undefined> {
    if (!this.store) return undefined;
    options.onProgress?.({ stage: "lookup", status: "start", functionName: spec.name, message: "Looking for a stored workflow" });
    const stored = await this.store.newestCompleted(inputId);
    if (!stored) return undefined;
    const compiled = this.compile(stored.workflow);
    if (!compiled.ok) {
      // Said before the LLM is asked, so that a user waiting on (or failing to reach) it knows why.
      const reason = compiled.error.message.replace(/\.$/, "");
      const message = `The stored workflow ${stored.workflow.id} is stale (${reason}); replanning it.`;
      this.logger.info(`${spec.name}: ${message} (${stored.file})`);
      options.onProgress?.({ stage: "lookup", status: "error", functionName: spec.name, message, error: { ...compiled.error, stage: "plan" } });
      onStale?.(reason);
      return undefined;
    }
    const entry: CacheEntry = { workflow: stored.workflow, compiled: compiled.value, file: stored.file, plannedHere: false };
    this.cache.set(inputId, entry);
    options.onProgress?.({ stage: "lookup", status: "ok", functionName: spec.name, message: `Using stored workflow ${stored.workflow.id}` });
    return entry;
  }

  /**
   * Concurrent callers of the same unplanned function share one planning. Each caller keeps its
   * own cancel and progress: cancelling leaves the others waiting, and the planning itself stops
   * only when every caller has cancelled.
   */
  private async planOnce(spec: FunctionSpec, inputId: string, options: CallOptions): Promise<Result<CacheEntry, WorkflowError>> {
    const { signal, onProgress } = options;
    if (signal?.aborted) return err(cancelledError("plan"));
    let planning = this.planning.get(inputId);
    if (planning) {
      if (onProgress) planning.listeners.add(onProgress);
    } else {
      // The first caller's listener is in before the planning starts, so it sees the first stage too.
      const listeners = new Set<ProgressListener>(onProgress ? [onProgress] : []);
      const controller = new AbortController();
      const broadcast: ProgressListener = (event) => {
        for (const listener of listeners) listener(event);
      };
      const started: SharedPlanning = {
        promise: this.planAndSave(spec, inputId, { ...options, signal: controller.signal, onProgress: broadcast }).finally(() => {
          if (this.planning.get(inputId) === started) this.planning.delete(inputId);
        }),
        controller,
        listeners,
        waiting: 0,
      };
      planning = started;
      this.planning.set(inputId, planning);
    }
    planning.waiting += 1;
    let onAbort: (() => void) | undefined;
    const cancelled = new Promise<Result<CacheEntry, WorkflowError>>((resolve) => {
      onAbort = () => resolve(err(cancelledError("plan")));
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([planning.promise, cancelled]);
    } finally {
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      if (onProgress) planning.listeners.delete(onProgress);
      planning.waiting -= 1;
      if (planning.waiting === 0 && signal?.aborted) {
        // The last caller gave up: stop the planning, and let a new caller start afresh.
        if (this.planning.get(inputId) === planning) this.planning.delete(inputId);
        planning.controller.abort();
      }
    }
  }

  private async planAndSave(spec: FunctionSpec, inputId: string, options: CallOptions): Promise<Result<CacheEntry, WorkflowError>> {
    if (options.signal?.aborted) return err(cancelledError("plan"));
    const context = new PlanningContext(spec, taskOf(spec), this.tools, this.client, this.config, this.logger, options.onProgress, options.signal);
    let planned: Result<WorkflowFile, WorkflowError>;
    try {
      planned = await planWorkflow(context, inputId);
    } catch (error) {
      // The planner treats LLM output as data; anything thrown here is a bug, reported rather than crashing the host.
      planned = err(unexpected("plan", error));
    }
    if (!planned.ok) return planned;
    const workflow = planned.value;
    let file: string | undefined;
    if (this.store) {
      options.onProgress?.({ stage: "save", status: "start", functionName: spec.name, message: "Saving the workflow" });
      const saved = await this.store.save(workflow);
      if (!saved.ok) return saved;
      file = saved.value;
      options.onProgress?.({ stage: "save", status: "ok", functionName: spec.name, message: `Saved ${file}` });
    }
    const compiled = workflow.completed ? this.compile(workflow) : undefined;
    if (compiled && !compiled.ok) return compiled;
    const entry: CacheEntry = { workflow, compiled: compiled?.value, file, plannedHere: true };
    // A failed replan must not hide a workflow that still works: the newest completed one keeps serving.
    if (workflow.completed || !(await this.keepCompleted(spec, inputId))) this.cache.set(inputId, entry);
    return ok(entry);
  }

  /** True when a completed workflow is (now) cached for the function, from memory or from a file. */
  private async keepCompleted(spec: FunctionSpec, inputId: string): Promise<boolean> {
    if (this.cache.get(inputId)?.workflow.completed) return true;
    // Silently: the caller is about to learn that its planning failed, not that a lookup succeeded.
    return (await this.loadStored(spec, inputId, {})) !== undefined;
  }
}

/**
 * A failed planning kept in memory or on disk answers every later call with its error, with no
 * LLM call: the details say so (`storedFailure`), so a caller can offer a replan.
 */
function replayedFailure(spec: FunctionSpec, entry: CacheEntry): WorkflowError {
  const error = entry.workflow.lastError ?? incomplete(spec);
  return { ...error, details: { ...error.details, storedFailure: { savedAt: entry.workflow.savedAt, ...(entry.file ? { file: entry.file } : {}) } } };
}

function unexpected(stage: "plan" | "run", error: unknown): WorkflowError {
  const what = stage === "plan" ? "Planning" : "The call";
  return workflowError("INTERNAL", stage, `${what} failed unexpectedly (please report this): ${describeUnknown(error)}`);
}

function incomplete(spec: FunctionSpec): WorkflowError {
  return workflowError("INCOMPLETE_WORKFLOW", "plan", `The workflow of ${spec.name} is incomplete; replan it.`);
}
