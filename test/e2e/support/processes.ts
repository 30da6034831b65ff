import { execFileSync } from "node:child_process";

export interface ProcessEntry {
  pid: number;
  command: string;
}

/**
 * Every live descendant of `pid` (children, their children…) with its command line, whatever
 * its process group: tool hosts start detached, in a group of their own.
 */
export function descendants(pid: number): ProcessEntry[] {
  const table = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  const rows = table
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3] ?? "" }));
  const inTree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (!inTree.has(row.pid) && inTree.has(row.ppid)) {
        inTree.add(row.pid);
        grew = true;
      }
    }
  }
  return rows
    .filter((row) => row.pid !== pid && inTree.has(row.pid))
    .map(({ pid: child, command }) => ({ pid: child, command }));
}

/** Command lines of the live descendants of `pid`. */
export function descendantCommands(pid: number): string[] {
  return descendants(pid).map((entry) => entry.command);
}
