import { existsSync, readdirSync, readFileSync } from "node:fs";

/**
 * The live descendants of a process, from /proc (Linux); empty elsewhere. A process that
 * daemonized (its parent exited, so it was re-parented to init) is no longer among them.
 */
export function descendantsOf(root: number): number[] {
  if (process.platform !== "linux") return [];
  const childrenOf = hasChildrenFiles() ? childrenFromTasks : childrenFromScan();
  const found: number[] = [];
  // Read process by process, a reused pid could otherwise lead back up the tree.
  const seen = new Set([root]);
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of childrenOf(pid)) {
      if (seen.has(child)) continue;
      seen.add(child);
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

let childrenFiles: boolean | undefined;

/** Whether the kernel lists each thread's children (CONFIG_PROC_CHILDREN, as most do). */
function hasChildrenFiles(): boolean {
  childrenFiles ??= existsSync(`/proc/${process.pid}/task/${process.pid}/children`);
  return childrenFiles;
}

/** A process's children, from its threads' `children` files: only the tree is read, not every process's stat. */
function childrenFromTasks(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // it ended while we looked
  }
  return tasks.flatMap((task) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number);
    } catch {
      return []; // the thread ended while we looked
    }
  });
}

/** Every process's parent, from a scan of /proc: where threads do not list their children. */
function childrenFromScan(): (pid: number) => number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return () => [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent === undefined) continue;
    const siblings = children.get(parent) ?? [];
    siblings.push(Number(entry));
    children.set(parent, siblings);
  }
  return (pid) => children.get(pid) ?? [];
}

/** The parent pid in /proc/<pid>/stat: the fourth field, after the command name in parentheses (which may hold spaces). */
function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const parent = Number(fields[1]);
    return Number.isInteger(parent) ? parent : undefined;
  } catch {
    // The process ended while we looked.
    return undefined;
  }
}

/** SIGKILL, ignoring processes that are already gone. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // ESRCH: already gone.
  }
}
