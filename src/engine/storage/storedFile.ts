import { constants } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { isAbsolute, relative, sep } from "node:path";
import { describeUnknown } from "../errors";
import { err, ok, type Result } from "../result";

/** Larger stored files are refused unread: nothing the engine writes comes near. */
export const MAX_STORED_FILE_BYTES = 32 * 1024 * 1024;
/** A FIFO opened without it blocks until a writer comes, which may be never. Windows has no FIFOs. */
const NON_BLOCKING = constants.O_NONBLOCK ?? 0;

/** Why a stored file was not read; `missing` is ordinary (not written yet, or removed meanwhile). */
export interface StoredFileProblem {
  kind: "missing" | "notRegular" | "tooLarge" | "unreadable";
  message: string;
}

export interface StoredFile {
  text: string;
  mtimeMs: number;
}

/**
 * Reads a file of the engine's storage (workflows, verification records, locks, caches) without
 * ever opening anything but a regular file inside `directory`, and at most `maxBytes` of it: a
 * FIFO, device, folder or symlink leaving the folder named like a stored file must never hang
 * or swell a reader. Never throws.
 */
export async function readStoredFile(
  file: string,
  directory: string,
  maxBytes = MAX_STORED_FILE_BYTES,
): Promise<Result<StoredFile, StoredFileProblem>> {
  try {
    const problem = await unreadableEntry(file, directory);
    if (problem !== undefined) return err({ kind: "notRegular", message: problem });
    const handle = await open(file, constants.O_RDONLY | NON_BLOCKING);
    try {
      // Checked again on the open file: the entry may have been swapped since it was looked at.
      const info = await handle.stat();
      if (!info.isFile()) return err({ kind: "notRegular", message: "it is not a regular file" });
      if (info.size > maxBytes)
        return err({ kind: "tooLarge", message: `it is ${info.size} bytes; at most ${maxBytes} are read` });
      return ok({ text: await handle.readFile("utf8"), mtimeMs: info.mtimeMs });
    } finally {
      await handle.close();
    }
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return err({ kind: missing ? "missing" : "unreadable", message: describeUnknown(error) });
  }
}

/** Why an entry is not opened at all: anything but a regular file, or a symlink leaving its folder. */
async function unreadableEntry(file: string, directory: string): Promise<string | undefined> {
  const entry = await lstat(file);
  if (entry.isSymbolicLink()) {
    const target = await realpath(file);
    const inside = relative(await realpath(directory), target);
    if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      return "it is a symbolic link that leaves the storage folder";
  } else if (!entry.isFile()) {
    return "it is not a regular file";
  }
  return undefined;
}
