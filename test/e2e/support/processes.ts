import { execFileSync } from "node:child_process";

/** Command lines of the live processes in a process group (the code-server a test started). */
export function processGroupCommands(pgid: number): string[] {
  const table = execFileSync("ps", ["-eo", "pgid=,args="], { encoding: "utf8" });
  return table
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && Number(match[1]) === pgid)
    .map((match) => match[2] ?? "");
}
