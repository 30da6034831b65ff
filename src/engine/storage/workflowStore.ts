import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { describeUnknown, workflowError, type WorkflowError } from "../errors";
import { checkJsonLimits, describeViolation, FILE_LIMITS } from "../json/jsonLimits";
import type { Logger } from "../logger";
import { err, ok, type Result } from "../result";
import type { StoredWorkflow } from "../runtimeTypes";
import type { VerificationRecord, WorkflowFile } from "../workflow/types";
import { parseVerificationRecord, parseWorkflowFile } from "../workflow/workflowFileSchema";
import { MAX_STORED_FILE_BYTES, readStoredFile } from "./storedFile";

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
    const [loaded, verifications] = await Promise.all([
      this.newestFirst(this.directory, inputId).then((names) =>
        Promise.all(names.map((name) => this.read(join(this.directory, name)))),
      ),
      this.verifications(inputId),
    ]);
    return loaded
      .filter((entry): entry is StoredWorkflow => entry !== undefined)
      .map((entry) => {
        const own = verifications.filter(
          (v) => v.workflowId === entry.workflow.id && v.inputId === entry.workflow.inputId,
        );
        return own.length > 0 ? { ...entry, verifications: own } : entry;
      });
  }

  /** Verification records, optionally of one function, newest first; unreadable ones are skipped with a warning. */
  private async verifications(inputId?: string): Promise<VerificationRecord[]> {
    const names = await this.newestFirst(this.verificationDirectory, inputId);
    const read = await Promise.all(
      names.map(async (name) => {
        const file = join(this.verificationDirectory, name);
        const stored = await readStoredFile(file, this.verificationDirectory);
        const parsed = stored.ok ? parseVerificationRecord(stored.value.text) : err(`${stored.error.message}.`);
        if (!parsed.ok) this.logger.warn(`Skipping verification record ${file}: ${parsed.error}`);
        return parsed.ok ? parsed.value : undefined;
      }),
    );
    return read.filter((record): record is VerificationRecord => record !== undefined);
  }

  /** The names in a storage folder of the form `<inputId>_<id>_<stamp>.json`, newest first. */
  private async newestFirst(directory: string, inputId?: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        this.logger.warn(`Cannot read the folder ${directory}: ${describeUnknown(error)}`);
      return [];
    }
    return names
      .map((name) => ({ name, match: FILE_NAME.exec(name) }))
      .filter((entry) => entry.match !== null && (inputId === undefined || entry.match[1] === inputId))
      .sort((a, b) => (b.match?.[3] ?? "").localeCompare(a.match?.[3] ?? "") || b.name.localeCompare(a.name))
      .map((entry) => entry.name);
  }

  async newestCompleted(inputId: string): Promise<StoredWorkflow | undefined> {
    return (await this.list(inputId)).find((entry) => entry.workflow.completed);
  }

  async delete(file: string): Promise<Result<void, WorkflowError>> {
    const target = resolve(file);
    if (dirname(target) !== this.directory || !FILE_NAME.test(basename(target))) {
      return err(
        workflowError(
          "STORAGE",
          "storage",
          `${file} is not a workflow file of this workspace's storage (${this.directory}).`,
        ),
      );
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
    const read = await readStoredFile(file, this.directory);
    if (!read.ok) {
      this.logger.warn(`Skipping workflow file ${file}: ${read.error.message}.`);
      return undefined;
    }
    const parsed = parseStoredText(read.value.text);
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

/**
 * Workflow files are never rewritten, and one command reads the same few several times (which
 * tools the stored workflows call, a function's status, then the call): each text is parsed once
 * for every store of the process. Bounded; every reader gets a copy of its own to change.
 */
const parsedTexts = new Map<string, WorkflowFile>();
const PARSED_TEXTS_KEPT = 64;

function parseStoredText(text: string): ReturnType<typeof parseWorkflowFile> {
  const known = parsedTexts.get(text);
  if (known) return ok(structuredClone(known));
  const parsed = parseWorkflowFile(text);
  if (!parsed.ok) return parsed;
  if (parsedTexts.size >= PARSED_TEXTS_KEPT) parsedTexts.delete(parsedTexts.keys().next().value as string);
  parsedTexts.set(text, structuredClone(parsed.value));
  return parsed;
}

async function writeAtomically(file: string, data: unknown, what: string): Promise<Result<string, WorkflowError>> {
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  // Never write a file that would be skipped when read back.
  const tooBig = checkJsonLimits(data, FILE_LIMITS);
  if (tooBig)
    return err(
      workflowError("STORAGE", "storage", `${what} was not saved: ${describeViolation(tooBig)}.`, {
        limit: tooBig.limit,
        path: tooBig.path,
      }),
    );
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_STORED_FILE_BYTES)
    return err(
      workflowError(
        "STORAGE",
        "storage",
        `${what} was not saved: it would be ${bytes} bytes, and at most ${MAX_STORED_FILE_BYTES} are read back.`,
        { limit: "bytes" },
      ),
    );
  try {
    await mkdir(directory, { recursive: true });
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, file);
    return ok(file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return err(workflowError("STORAGE", "storage", `Could not save ${what} to ${file}: ${describeUnknown(error)}`));
  }
}
