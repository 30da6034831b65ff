import type { WorkflowError } from "../engine/errors";
import type { RunTrace } from "../engine/workflow/types";

/** One run of a function from the extension, kept for the inspector (and across reloads, see RunHistory). */
export interface RunRecord {
  id: number;
  functionName: string;
  startedAt: string;
  durationMs: number;
  input: unknown;
  ok: boolean;
  output?: unknown;
  error?: WorkflowError;
  workflowId?: string;
  /** True when a stored workflow was reused rather than planned for this run. */
  reused?: boolean;
  /** Set when the workflow ran unverified: a tool's code changed and no test could vouch for it (which tool, which file). */
  warning?: string;
  trace?: RunTrace;
}

export type NewRunRecord = Omit<RunRecord, "id">;

/** Where a folder's runs are kept across reloads: VS Code's workspace state (a Memento). */
export interface RunStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

/** Runs kept across reloads per folder, and the size of one run kept in full (its trace and output dropped beyond). */
const PERSISTED_RUNS = 30;
const PERSISTED_RUN_CHARS = 64_000;

/** A run small enough for workspace state: a huge output or trace is left out, the outcome kept. */
function persistable(record: RunRecord): RunRecord {
  if ((JSON.stringify(record)?.length ?? 0) <= PERSISTED_RUN_CHARS) return record;
  const { trace: _trace, output: _output, ...rest } = record;
  const small: RunRecord = {
    ...rest,
    input: (JSON.stringify(rest.input)?.length ?? 0) <= PERSISTED_RUN_CHARS / 2 ? rest.input : "(too large to keep)",
  };
  return record.ok ? { ...small, output: "(too large to keep across reloads)" } : small;
}

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Partial<RunRecord>;
  return (
    typeof record.id === "number" &&
    typeof record.functionName === "string" &&
    typeof record.startedAt === "string" &&
    typeof record.durationMs === "number" &&
    typeof record.ok === "boolean"
  );
}

/**
 * Recent runs of one folder, newest first, bounded so a long session does not grow without end.
 * With a store, the newest runs are kept across window reloads (bounded in count and size).
 */
export class RunHistory {
  private readonly records: RunRecord[] = [];
  private nextId = 1;

  constructor(
    private readonly limit = 100,
    private readonly store?: { state: RunStore; key: string },
  ) {
    const kept = store?.state.get<unknown>(store.key);
    if (Array.isArray(kept)) this.records.push(...kept.filter(isRunRecord).slice(0, limit));
    this.nextId = Math.max(0, ...this.records.map((record) => record.id)) + 1;
  }

  add(record: NewRunRecord): RunRecord {
    const stored: RunRecord = { id: this.nextId++, ...record };
    this.records.unshift(stored);
    if (this.records.length > this.limit) this.records.length = this.limit;
    if (this.store)
      void this.store.state.update(this.store.key, this.records.slice(0, PERSISTED_RUNS).map(persistable));
    return stored;
  }

  all(): readonly RunRecord[] {
    return this.records;
  }

  forFunction(functionName: string): RunRecord[] {
    return this.records.filter((record) => record.functionName === functionName);
  }
}

/** Each folder's RunHistory by folder URI, made on first use (from workspace state when given) and forgotten with the folder. */
export class RunHistories {
  private readonly byFolder = new Map<string, RunHistory>();

  constructor(private readonly state?: RunStore) {}

  of(folderUri: string): RunHistory {
    let history = this.byFolder.get(folderUri);
    if (!history) {
      history = new RunHistory(
        100,
        this.state ? { state: this.state, key: `llmFunction.runs:${folderUri}` } : undefined,
      );
      this.byFolder.set(folderUri, history);
    }
    return history;
  }

  forget(folderUri: string): void {
    this.byFolder.delete(folderUri);
  }
}
