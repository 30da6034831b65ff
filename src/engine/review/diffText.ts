import type { StepChange, WorkflowDiff, WorkflowVersion } from "./workflowDiff";

function versionLine(label: string, version: WorkflowVersion): string {
  const state = version.completed ? "completed" : "incomplete";
  return `${label} ${version.id.slice(0, 12)}  ${version.savedAt}  ${state}, ${version.toolSteps} tool steps, tests ${version.tests.status} (${version.tests.note})  ${version.model}`;
}

function changeLines(change: StepChange): string[] {
  switch (change.change) {
    case "unchanged":
      return [`  = ${change.before}→${change.after} ${change.tool}`];
    case "added":
      return [`  + ${change.after} ${change.tool}`, ...change.args.map((a) => `      ${a.arg} ← ${a.after ?? ""}`)];
    case "removed":
      return [`  - ${change.before} ${change.tool}`, ...change.args.map((a) => `      ${a.arg} ← ${a.before ?? ""}`)];
    case "changed": {
      const lines = [`  ~ ${change.before}→${change.after} ${change.tool}`];
      if (change.toolId)
        lines.push(
          `      tool changed: ${change.toolId.before?.slice(0, 12) ?? "none"} → ${change.toolId.after?.slice(0, 12) ?? "none"}`,
        );
      for (const arg of change.rewired) {
        if (arg.before === undefined) lines.push(`      + ${arg.arg} ← ${arg.after ?? ""}`);
        else if (arg.after === undefined) lines.push(`      - ${arg.arg} ← ${arg.before}`);
        else lines.push(`      ${arg.arg}: ${arg.before} → ${arg.after}`);
      }
      return lines;
    }
  }
}

/** The diff as the CLI prints it: `+` added, `-` removed, `~` changed, `=` unchanged steps. */
export function diffLines(diff: WorkflowDiff): string[] {
  const lines = [versionLine("a:", diff.before), versionLine("b:", diff.after)];
  if (diff.taskChanged) lines.push("The function's task or schemas differ between the two versions.");
  if (!diff.changed) {
    lines.push("No difference in steps, wiring, tools or test outcome.");
    return lines;
  }
  lines.push("Steps (a→b):");
  for (const change of diff.steps) lines.push(...changeLines(change));
  if (diff.before.tests.status !== diff.after.tests.status)
    lines.push(`Tests: ${diff.before.tests.status} → ${diff.after.tests.status}`);
  return lines;
}
