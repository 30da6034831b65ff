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
import type { CallOptions, CallOutcome, FunctionState, FunctionStatus, StoredWorkflow } from "../runtimeTypes";
import { PlanningLock, type HeldLock, type LockOwner } from "../storage/planningLock";
import { WorkflowStore } from "../storage/workflowStore";
import { ToolRegistry, type ToolSource } from "../toolRegistry";
import { compileWorkflow, type CompiledWorkflow } from "../workflow/runWorkflow";
import type { CodeChange } from "../workflow/codeRecord";
import { describeCodeChange } from "../workflow/codeRecord";
import type { WorkflowFile } from "../workflow/types";
import { WORKFLOW_FORMAT_VERSION } from "../workflow/types";
import { judgeStored, type Verdict } from "./judgeStored";
import { inputIdOf, taskOf } from "./taskOf";
import { verifyStored, type VerifyResult } from "./verifyStored";

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
  /** Set when the tools' code changed and no test could vouch for the workflow: it runs with this warning. */
  unverified?: { reason: string; changes: CodeChange[] };
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
  return new LlmFunctionRuntime(
    parsed.data,
    registry,
    options.llm ?? createLlmClient(parsed.data.llm, options.logger),
    options.logger ?? silentLogger,
  );
}

/**
 * The shared execution object: one toolset, one LLM client, one in-memory workflow cache and one
 * store, used by every function bound to it. A function's workflow is planned at most once at a time.
 */
export class LlmFunctionRuntime {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly planning = new Map<string, SharedPlanning>();
  private readonly inputIds = new WeakMap<FunctionSpec, string>();
  /** Judgements of stored workflows, by file and newest re-verification: a replay runs once. */
  private readonly verdicts = new Map<string, Promise<Verdict>>();
  private readonly store: WorkflowStore | undefined;
  /** Plans a function once across the processes sharing the storage folder. */
  private readonly locks: PlanningLock | undefined;
  private client: LlmClient;

  constructor(
    readonly config: RuntimeConfig,
    readonly tools: ToolRegistry,
    llm: LlmClient,
    private readonly logger: Logger,
  ) {
    this.client = llm;
    this.store = config.storagePath === undefined ? undefined : new WorkflowStore(config.storagePath, logger);
    this.locks = config.storagePath === undefined ? undefined : new PlanningLock(config.storagePath);
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
  async call(
    spec: FunctionSpec,
    input: unknown,
    options: CallOptions = {},
  ): Promise<Result<CallOutcome, WorkflowError>> {
    try {
      return await this.callUnguarded(spec, input, options);
    } catch (error) {
      return err(unexpected("run", error));
    }
  }

  private async callUnguarded(
    spec: FunctionSpec,
    input: unknown,
    options: CallOptions,
  ): Promise<Result<CallOutcome, WorkflowError>> {
    // Before zod, which would overflow the stack on deep input.
    const tooBig = checkJsonLimits(input);
    if (tooBig) {
      return err(
        workflowError(
          "INPUT_VALIDATION",
          "input",
          `The input of ${spec.name} is refused: ${describeViolation(tooBig)}.`,
          { limit: tooBig.limit, path: tooBig.path },
        ),
      );
    }
    const validated = spec.validateInput(input);
    if (!validated.ok) {
      const issues = formatIssues(validated.error);
      return err(
        workflowError("INPUT_VALIDATION", "input", `The input of ${spec.name} is invalid: ${issues}`, {
          issues: validated.error,
        }),
      );
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
    return (await this.state(spec)).status;
  }

  /**
   * The function's status with its reason. A stored workflow whose tools' code changed has its
   * tests replayed here (no LLM), and a pass is recorded, as on a call.
   */
  async state(spec: FunctionSpec): Promise<FunctionState> {
    const cached = this.cache.get(this.inputId(spec));
    if (cached) {
      const workflow = cached.file === undefined ? {} : { workflow: { file: cached.file, workflow: cached.workflow } };
      if (!cached.workflow.completed) return { status: "failed", reason: failureReason(cached.workflow), ...workflow };
      return cached.unverified
        ? { status: "unverified", ...cached.unverified, ...workflow }
        : { status: "ready", ...workflow };
    }
    const stored = await this.storedWorkflows(spec);
    const newest = stored[0];
    if (!newest) return { status: "not_planned" };
    const completed = stored.find((s) => s.workflow.completed);
    if (!completed) return { status: "failed", reason: failureReason(newest.workflow), workflow: newest };
    const verdict = await this.judged(spec, completed);
    switch (verdict.status) {
      case "ready":
        return { status: "ready", workflow: completed };
      case "unverified":
        return { status: "unverified", reason: verdict.reason, changes: verdict.changes, workflow: completed };
      case "stale":
        return {
          status: "stale",
          reason: verdict.reason,
          workflow: completed,
          ...(verdict.changes ? { changes: verdict.changes } : {}),
          ...(verdict.tests ? { tests: verdict.tests } : {}),
        };
      case "cancelled":
        return { status: "stale", reason: verdict.error.message, workflow: completed };
    }
  }

  /** Replays the newest completed workflow on the function's test cases: no LLM, nothing recorded. */
  async verify(
    spec: FunctionSpec,
    options: { signal?: AbortSignal } = {},
  ): Promise<Result<VerifyResult, WorkflowError>> {
    return verifyStored(await this.storedWorkflows(spec), spec, this.tools, this.config.compare, options.signal);
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
    if (!this.store)
      return err(
        workflowError("STORAGE", "storage", "This runtime has no storage path, so it keeps no workflow files."),
      );
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

  /**
   * Judges a stored workflow once per file and re-verification: concurrent callers share the
   * replay, and a passing replay on changed code is recorded (append-only, no LLM, no new workflow).
   */
  private async judged(spec: FunctionSpec, stored: StoredWorkflow, signal?: AbortSignal): Promise<Verdict> {
    const key = `${stored.file}|${stored.verifications?.[0]?.at ?? ""}`;
    for (;;) {
      let verdict = this.verdicts.get(key);
      if (!verdict) {
        verdict = this.judgeAndRecord(spec, stored, signal);
        this.verdicts.set(key, verdict);
      }
      const judged = await verdict;
      if (judged.status !== "cancelled") return judged;
      if (this.verdicts.get(key) === verdict) this.verdicts.delete(key);
      // Another caller's cancellation stopped the shared replay: this one replays for itself.
      if (signal?.aborted) return judged;
    }
  }

  private async judgeAndRecord(spec: FunctionSpec, stored: StoredWorkflow, signal?: AbortSignal): Promise<Verdict> {
    const verdict = await judgeStored(stored, spec, this.tools, this.config.compare, signal);
    if (verdict.status !== "ready" || !verdict.reverified || !this.store) return verdict;
    const { code, changes, tests } = verdict.reverified;
    const saved = await this.store.saveVerification({
      formatVersion: WORKFLOW_FORMAT_VERSION,
      kind: "verification",
      workflowId: stored.workflow.id,
      inputId: stored.workflow.inputId,
      at: new Date().toISOString(),
      code,
      changes: changes.map(describeCodeChange),
      tests: tests.length,
    });
    if (saved.ok)
      this.logger.info(
        `${spec.name}: workflow ${stored.workflow.id} passes its ${tests.length} tests on the changed code; recorded in ${saved.value}.`,
      );
    else this.logger.warn(`${spec.name}: ${saved.error.message}`);
    return verdict;
  }

  private async run(
    spec: FunctionSpec,
    actualized: Actualized,
    input: unknown,
    options: CallOptions,
  ): Promise<Result<CallOutcome, WorkflowError>> {
    const { entry, reused } = actualized;
    if (!entry.compiled)
      return err(reused ? replayedFailure(spec, entry) : (entry.workflow.lastError ?? incomplete(spec)));
    const warning = entry.unverified
      ? `${spec.name} runs an unverified workflow: ${entry.unverified.reason}`
      : undefined;
    options.onProgress?.({
      stage: "run",
      status: "start",
      functionName: spec.name,
      message: `Running ${entry.workflow.steps.length - 1} tool steps`,
    });
    const result = await entry.compiled.run(input, {
      validateOutput: spec.validateOutput,
      trace: options.trace ?? true,
      signal: options.signal,
    });
    if (!result.ok) {
      options.onProgress?.({
        stage: "run",
        status: "error",
        functionName: spec.name,
        message: result.error.message,
        error: result.error,
      });
      return result;
    }
    options.onProgress?.({ stage: "run", status: "ok", functionName: spec.name, message: "Done" });
    return ok({
      output: result.value.output,
      workflow: entry.workflow,
      trace: result.value.trace,
      reused,
      ...(warning ? { warning } : {}),
    });
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
      return err({
        ...error,
        message: `The stored workflow is stale (${stale}); replanning it failed: ${error.message}`,
        details: { ...error.details, stale },
      });
    }
    return planned;
  }

  private async loadStored(
    spec: FunctionSpec,
    inputId: string,
    options: CallOptions,
    onStale?: (reason: string) => void,
  ): Promise<CacheEntry | undefined> {
    if (!this.store) return undefined;
    options.onProgress?.({
      stage: "lookup",
      status: "start",
      functionName: spec.name,
      message: "Looking for a stored workflow",
    });
    const stored = await this.store.newestCompleted(inputId);
    if (!stored) return undefined;
    const verdict = await this.judged(spec, stored, options.signal);
    if (verdict.status === "cancelled") return undefined;
    if (verdict.status === "stale") {
      // Said before the LLM is asked, so that a user waiting on (or failing to reach) it knows why.
      const reason = verdict.reason.replace(/\.$/, "");
      const message = `The stored workflow ${stored.workflow.id} is stale (${reason}); replanning it.`;
      this.logger.info(`${spec.name}: ${message} (${stored.file})`);
      options.onProgress?.({
        stage: "lookup",
        status: "error",
        functionName: spec.name,
        message,
        error: { ...verdict.error, stage: "plan" },
      });
      onStale?.(reason);
      return undefined;
    }
    const entry: CacheEntry = {
      workflow: stored.workflow,
      compiled: verdict.compiled,
      file: stored.file,
      plannedHere: false,
      ...(verdict.status === "unverified" ? { unverified: { reason: verdict.reason, changes: verdict.changes } } : {}),
    };
    this.cache.set(inputId, entry);
    const note =
      verdict.status === "unverified"
        ? ` (unverified: ${verdict.reason})`
        : verdict.reverified
          ? ` (its ${verdict.reverified.tests.length} tests pass on the changed code: ${verdict.reverified.changes.map(describeCodeChange).join("; ")})`
          : "";
    options.onProgress?.({
      stage: "lookup",
      status: "ok",
      functionName: spec.name,
      message: `Using stored workflow ${stored.workflow.id}${note}`,
    });
    return entry;
  }

  /**
   * Concurrent callers of the same unplanned function share one planning. Each caller keeps its
   * own cancel and progress: cancelling leaves the others waiting, and the planning itself stops
   * only when every caller has cancelled.
   */
  private async planOnce(
    spec: FunctionSpec,
    inputId: string,
    options: CallOptions,
  ): Promise<Result<CacheEntry, WorkflowError>> {
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
        promise: this.planAndSave(spec, inputId, {
          ...options,
          signal: controller.signal,
          onProgress: broadcast,
        }).finally(() => {
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

  /**
   * Plans under the cross-process lock: when another process planned the function while this one
   * waited (or just before it looked), its result is used instead of planning again.
   */
  private async planAndSave(
    spec: FunctionSpec,
    inputId: string,
    options: CallOptions,
  ): Promise<Result<CacheEntry, WorkflowError>> {
    if (options.signal?.aborted) return err(cancelledError("plan"));
    if (!this.store || !this.locks) return this.planAndSaveLocked(spec, inputId, options);
    const before = new Set((await this.store.list(inputId)).map((s) => s.file));
    const { signal, onProgress } = options;
    const lock = await this.locks.acquire(inputId, spec.name, {
      ...(signal ? { signal } : {}),
      onWait: (owner) =>
        onProgress?.({
          stage: "plan",
          status: "start",
          functionName: spec.name,
          message: `Waiting for another process${ownerText(owner)} planning ${spec.name}`,
        }),
    });
    if (!lock.ok) return lock;
    try {
      const meanwhile = await this.plannedMeanwhile(spec, inputId, before, options);
      return meanwhile ? ok(meanwhile) : await this.planAndSaveLocked(spec, inputId, options);
    } finally {
      await this.release(lock.value, spec);
    }
  }

  /** The planning another process stored since `before` was listed, or a usable stored workflow (unless replanning is forced). */
  private async plannedMeanwhile(
    spec: FunctionSpec,
    inputId: string,
    before: Set<string>,
    options: CallOptions,
  ): Promise<CacheEntry | undefined> {
    const store = this.store;
    if (!store) return undefined;
    const fresh = (await store.list(inputId)).find((s) => !before.has(s.file));
    if (fresh) {
      options.onProgress?.({
        stage: "plan",
        status: "ok",
        functionName: spec.name,
        message: `Another process planned ${spec.name}: using its workflow ${fresh.workflow.id}`,
      });
      if (fresh.workflow.completed) {
        const stored = await this.loadStored(spec, inputId, options);
        if (stored) return stored;
      } else {
        const entry: CacheEntry = {
          workflow: fresh.workflow,
          compiled: undefined,
          file: fresh.file,
          plannedHere: false,
        };
        if (!(await this.keepCompleted(spec, inputId))) this.cache.set(inputId, entry);
        return entry;
      }
    }
    if (options.forceReplan === true || this.config.forceReplan) return undefined;
    return this.loadStored(spec, inputId, {});
  }

  private async release(lock: HeldLock, spec: FunctionSpec): Promise<void> {
    try {
      await lock.release();
    } catch (error) {
      this.logger.warn(
        `${spec.name}: could not remove the planning lock (${describeUnknown(error)}); another process takes it over once it is stale.`,
      );
    }
  }

  private async planAndSaveLocked(
    spec: FunctionSpec,
    inputId: string,
    options: CallOptions,
  ): Promise<Result<CacheEntry, WorkflowError>> {
    const context = new PlanningContext(
      spec,
      taskOf(spec),
      this.tools,
      this.client,
      this.config,
      this.logger,
      options.onProgress,
      options.signal,
    );
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

function ownerText(owner: LockOwner | undefined): string {
  return owner ? ` (pid ${owner.pid} on ${owner.hostname})` : "";
}

function failureReason(workflow: WorkflowFile): string {
  return workflow.lastError?.message ?? "The last planning did not complete.";
}

/**
 * A failed planning kept in memory or on disk answers every later call with its error, with no
 * LLM call: the details say so (`storedFailure`), so a caller can offer a replan.
 */
function replayedFailure(spec: FunctionSpec, entry: CacheEntry): WorkflowError {
  const error = entry.workflow.lastError ?? incomplete(spec);
  return {
    ...error,
    details: {
      ...error.details,
      storedFailure: { savedAt: entry.workflow.savedAt, ...(entry.file ? { file: entry.file } : {}) },
    },
  };
}

function unexpected(stage: "plan" | "run", error: unknown): WorkflowError {
  const what = stage === "plan" ? "Planning" : "The call";
  return workflowError(
    "INTERNAL",
    stage,
    `${what} failed unexpectedly (please report this): ${describeUnknown(error)}`,
  );
}

function incomplete(spec: FunctionSpec): WorkflowError {
  return workflowError("INCOMPLETE_WORKFLOW", "plan", `The workflow of ${spec.name} is incomplete; replan it.`);
}
