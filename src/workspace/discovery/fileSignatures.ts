// Stat signatures: what a file's or folder's metadata says of its content, as git's index uses
// them. Any write changes the change time (ctime), which tools that restore modification times
// (`touch -d`, `cp -p`, `rsync -t`, archive tools) leave alone, so while a signature holds, so does
// the content it was taken with. File systems without a real change time (FAT, exFAT) weaken this
// as they weaken git's index. A signature is trusted only when taken a while after the last
// change: a write in the same clock tick as the change before it (timestamps are as coarse as a
// few milliseconds on Linux, 2 s on some file systems) leaves the times as they were.
import { statSync } from "node:fs";

/** How long after its last change a signature is trusted. */
const SETTLE_MS = 2000;

export interface FileSignature {
  /** Device, inode, size, modification and change times. */
  text: string;
  /** The later of the modification and change times. */
  changedMs: number;
}

/** The signature of a file or folder, or undefined when it cannot be read. */
export function signatureOf(path: string): FileSignature | undefined {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) return undefined;
    return {
      text: `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`,
      changedMs: Math.max(info.mtimeMs, info.ctimeMs),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whether `signature`, taken after the content was read, may stand for that content: the content
 * was read after `readSince`, and had not changed for a while by then.
 */
export function settledBefore(signature: FileSignature, readSince: number): boolean {
  return signature.changedMs < readSince - SETTLE_MS;
}
