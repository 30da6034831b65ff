import type { WorkflowError } from "../engine/errors";
import type { RunTrace } from "../engine/workflow/types";

/** One run of a function from the extension, kept in memory for the inspector. */
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
  trace?: RunTrace;
}

export type NewRunRecord = Omit<RunRecord, "id">;

/** Recent runs of one folder, newest first, bounded so a long session does not grow without end. */
export class RunHistory {
  private readonly records: RunRecord[] = [];
  private nextId = 1;

  constructor(private readonly limit = 100) {}

  add(record: NewRunRecord): RunRecord {
    const stored: RunRecord = { id: this.nextId++, ...record };
    this.records.unshift(stored);
    if (this.records.length > this.limit) this.records.length = this.limit;
    return stored;
  }

  all(): readonly RunRecord[] {
    return this.records;
  }

  forFunction(functionName: string): RunRecord[] {
    return this.records.filter((record) => record.functionName === functionName);
  }
}

/** Each folder's RunHistory by folder URI, made on first use and forgotten with the folder. */
export class RunHistories {
  private readonly byFolder = new Map<string, RunHistory>();

  of(folderUri: string): RunHistory {
    let history = this.byFolder.get(folderUri);
    if (!history) {
      history = new RunHistory();
      this.byFolder.set(folderUri, history);
    }
    return history;
  }

  forget(folderUri: string): void {
    this.byFolder.delete(folderUri);
  }
}
