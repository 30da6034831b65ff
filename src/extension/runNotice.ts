import { formatDuration, plainText } from "./displayFormat";
import type { RunRecord } from "./runHistory";

/** The notification a successful run ends with: what it shows and the buttons it offers. */
export interface RunNotice {
  severity: "information" | "warning";
  text: string;
  actions: ("Inspect" | "Replan")[];
}

/**
 * Says how long the run took and where its workflow came from. A run of an unverified workflow
 * (a tool's code changed and no test could vouch for it) is a warning naming what changed, with
 * Replan beside Inspect: its result may be wrong, and nothing else would tell the user so.
 */
export function runNotice(
  functionName: string,
  record: Pick<RunRecord, "durationMs" | "reused" | "warning">,
): RunNotice {
  const how = record.reused ? "stored workflow" : "newly planned workflow";
  const finished = `${functionName} finished in ${formatDuration(record.durationMs)} (${how}).`;
  if (record.warning === undefined) return { severity: "information", text: finished, actions: ["Inspect"] };
  return {
    severity: "warning",
    text: `${finished} Check its result: ${plainText(record.warning)} Add a test case to the function, or replan it.`,
    actions: ["Inspect", "Replan"],
  };
}
