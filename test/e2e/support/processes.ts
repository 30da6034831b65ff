import { execFileSync } from "node:child_process";

export interface ProcessEntry {
  pid: number;
  command: string;
}

/** The live processes in a process group (the code-server a test started), with their command lines. */
export function processGroup(pgid: number): ProcessEntry[] {
  const table = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[2]) === pgid)
    .map((match) => ({ pid: Number(match[1]), command: match[3] ?? "" }));
}

/** Command lines of the live processes in a process group. */
export function processGroupCommands(pgid: number): string[] {
  return processGroup(pgid).map((entry) => entry.command);
}
