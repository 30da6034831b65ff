import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { describeUnknown, workflowError, type WorkflowError } from "../errors";
import type { Logger } from "../logger";
import { err, ok, type Result } from "../result";
import type { StoredWorkflow } from "../runtimeTypes";
import type { VerificationRecord, WorkflowFile } from "../workflow/types";
import { parseVerificationRecord, parseWorkflowFile } from "../workflow/workflowFileSchema";

const FILE_NAME = /^([0-9a-f]{64})_([A-Za-z0-9-]+)_(\d{8}T\d{9}Z)\.json$/;

/** `20261125T061700123Z`: sortable, and safe in file names on every platform. */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

export function workflowFileName(workflow: Pick<WorkflowFile, "inputId" | "id" | "savedAt">): string {
  return `${workflow.inputId}_${workflow.id}_${utcStamp(new Date(workflow.savedAt))}.json`;
}

/**
 * Append-only workflow files under `<storage>/workflows/`, and the records of their
 * re-verifications under `<storage>/verifications/` (a workflow file is never rewritten). Writes
 * are atomic (temp file then rename), so a reader or a crash never sees half a file; unreadable
 * files are skipped with a warning.
 */
export class WorkflowStore {
  readonly directory: string;
  readonly verificationDirectory: string;

  constructor(
    storagePath: string,
    private readonly logger: Logger,
  ) {
    this.directory = resolve(storagePath, "workflows");
    this.verificationDirectory = resolve(storagePath, "verifications");
  }

  save(workflow: WorkflowFile): Promise<Result<string, WorkflowError>> {
    return writeAtomically(join(this.directory, workflowFileName(workflow)), workflow, "the workflow");
  }

  /** `<inputId>_<workflowId>_<UTC stamp>.json` in the verification folder. */
  saveVerification(record: VerificationRecord): Promise<Result<string, WorkflowError>> {
    const name = `${record.inputId}_${record.workflowId}_${utcStamp(new Date(record.at))}.json`;
    return writeAtomically(join(this.verificationDirectory, name), record, "the verification record");
  }

  /** Every readable workflow file, optionally of one function, newest first. */
  async list(inputId?: string): Promise<StoredWorkflow[]> {
    const names = await this.names(this.directory);
    const candidates = names
      .map((name) => ({ name, match: FILE_NAME.exec(name) }))
      .filter((entry) => entry.match !== null && (inputId === undefined || entry.match[1] === inputId))
      .sort((a, b) => (b.match?.[3] ?? "").localeCompare(a.match?.[3] ?? "") || b.name.localeCompare(a.name));
    const [loaded, verifications] = await Promise.all([
      Promise.all(candidates.map((entry) => this.read(join(this.directory, entry.name)))),
      this.verifications(inputId),
    ]);
    return loaded
      .filter((entry): entry is StoredWorkflow => entry !== undefined)
      .map((entry) => {
        const own = verifications.filter((v) => v.workflowId === entry.workflow.id && v.inputId === entry.workflow.inputId);
        return own.length > 0 ? { ...entry, verifications: own } : entry;
      });
  }

  /** Verification records, optionally of one function, newest first; unreadable ones are skipped with a warning. */
  private async verifications(inputId?: string): Promise<VerificationRecord[]> {
    const names = await this.names(this.verificationDirectory);
    const candidates = names
      .map((name) => ({ name, match: FILE_NAME.exec(name) }))
      .filter((entry) => entry.match !== null && (inputId === undefined || entry.match[1] === inputId))
      .sort((a, b) => (b.match?.[3] ?? "").localeCompare(a.match?.[3] ?? "") || b.name.localeCompare(a.name));
    const read = await Promise.all(
      candidates.map(async ({ name }) => {
        const file = join(this.verificationDirectory, name);
        const text = await readFile(file, "utf8").catch((error: unknown) => new Error(describeUnknown(error)));
        const parsed = text instanceof Error ? { ok: false as const, error: text.message } : parseVerificationRecord(text);
        if (!parsed.ok) this.logger.warn(`Skipping verification record ${file}: ${parsed.error}`);
        return parsed.ok ? parsed.value : undefined;
      }),
    );
    return read.filter((record): record is VerificationRecord => record !== undefined);
  }

  private async names(directory: string): Promise<string[]> {
    try {
      return await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") this.logger.warn(`Cannot read the folder ${directory}: ${describeUnknown(error)}`);
      return [];
    }
  }

  async newestCompleted(inputId: string): Promise<StoredWorkflow | undefined> {
    return (await this.list(inputId)).find((entry) => entry.workflow.completed);
  }

  async delete(file: string): Promise<Result<void, WorkflowError>> {
    const target = resolve(file);
    if (dirname(target) !== this.directory || !FILE_NAME.test(basename(target))) {
      return err(workflowError("STORAGE", "storage", `${file} is not a workflow file of this workspace's storage (${this.directory}).`));
    }
    try {
      await unlink(target);
      return ok(undefined);
    } catch (error) {
      return err(workflowError("STORAGE", "storage", `Could not delete ${file}: ${describeUnknown(error)}`));
    }
  }

  /** A file that cannot be read or is not a valid workflow is skipped with a warning, never thrown. */
  private async read(file: string): Promise<StoredWorkflow | undefined> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      this.logger.warn(`Skipping workflow file ${file}: ${describeUnknown(error)}`);
      return undefined;
    }
    const parsed = parseWorkflowFile(text);
    if (!parsed.ok) {
      this.logger.warn(`Skipping workflow file ${file}: ${parsed.error}`);
      return undefined;
    }
    if (!basename(file).startsWith(`${parsed.value.inputId}_`)) {
      this.logger.warn(`Skipping workflow file ${file}: its name does not match its inputId.`);
      return undefined;
    }
    return { file, workflow: parsed.value };
  }
}

async function writeAtomically(file: string, data: unknown, what: string): Promise<Result<string, WorkflowError>> {
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temp, `${JSON.stringify(data, null, 2)}\n`, { flag: "wx" });
    await rename(temp, file);
    return ok(file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return err(workflowError("STORAGE", "storage", `Could not save ${what} to ${file}: ${describeUnknown(error)}`));
  }
}
