import type { WorkflowError } from "../engine/errors";
import type { ProgressEvent } from "../engine/progress";
import type { FunctionStatus } from "../engine/runtimeTypes";
import type { StepArg, WorkflowFile } from "../engine/workflow/types";
import type { DeclarationDiagnostic, SourceLocation } from "../workspace/workspaceTypes";

/** Where the CLI writes: results to stdout, everything else to stderr. */
export interface CliStreams {
  out(text: string): void;
  err(text: string): void;
}

export function statusLabel(status: FunctionStatus): string {
  return status === "not_planned" ? "not planned" : status;
}

export function where(location: SourceLocation, folder: string): string {
  const file = location.file.startsWith(`${folder}/`) ? location.file.slice(folder.length + 1) : location.file;
  return `${file}:${location.line}:${location.column}`;
}

export function diagnosticLine(diagnostic: DeclarationDiagnostic, folder: string): string {
  return `${where(diagnostic.location, folder)}: ${diagnostic.severity}: ${diagnostic.message}`;
}

export function failureLine(functionName: string, error: WorkflowError): string {
  return `${functionName} failed at stage "${error.stage}" (${error.kind}): ${error.message}`;
}

export function progressLine(event: ProgressEvent): string {
  const attempt =
    event.attempt === undefined ? "" : ` attempt ${event.attempt}${event.loop ? ` (loop ${event.loop + 1})` : ""}`;
  const step = event.step === undefined ? "" : ` step ${event.step}`;
  const kind = event.error ? ` [${event.error.kind}]` : "";
  return `[${event.stage}]${attempt}${step} ${event.status}${kind}: ${event.message}`;
}

function argText(arg: StepArg): string {
  if ("ref" in arg) return arg.ref;
  if ("template" in arg) return JSON.stringify(arg.template);
  return JSON.stringify(arg.value);
}

/** One line per step: `2. forecast(lat ← 1.output.lat, days ← 3)`. */
export function stepLines(workflow: WorkflowFile): string[] {
  return workflow.steps.map((step) => {
    const args = Object.entries(step.args).map(([name, arg]) => `${name} ← ${argText(arg)}`);
    return `  ${step.id}. ${step.tool}(${args.join(", ")})`;
  });
}

export function firstLine(text: string, max = 70): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Left-aligned columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
