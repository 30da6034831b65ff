import type { Tool } from "../tools/tool";
import type { ToolCode } from "../tools/toolCode";
import { OUTPUT_STEP, type CodeRecord, type WorkflowStep } from "./types";

/** One tool whose code differs from what a workflow was planned or verified against. */
export interface CodeChange {
  tool: string;
  /** The tool's declaration file, relative to the workspace folder. */
  file: string;
  /**
   * Modules of its import closure that are new or whose text changed, and recorded modules that no
   * tool of the workflow imports any more.
   */
  modules: { path: string; change: "modified" | "added" | "removed" }[];
  /** Packages whose version changed, that are new, or (`to` absent) that nothing imports any more. */
  packages: { name: string; from?: string; to?: string }[];
  /** True when the workflow has no record of this tool's code at all (planned without fingerprints). */
  unrecorded: boolean;
}

/** The distinct tools a workflow's steps use (the output step uses none). */
function toolsOf(steps: readonly WorkflowStep[], byName: (name: string) => Tool | undefined): Tool[] {
  const tools = new Map<string, Tool>();
  for (const step of steps) {
    if (step.tool === OUTPUT_STEP || tools.has(step.tool)) continue;
    const tool = byName(step.tool);
    if (tool) tools.set(step.tool, tool);
  }
  return [...tools.values()];
}

/** The code record of a workflow's tools, or undefined when none of them knows its code. */
export function codeRecordOf(
  steps: readonly WorkflowStep[],
  byName: (name: string) => Tool | undefined,
): CodeRecord | undefined {
  const withCode = toolsOf(steps, byName).filter((tool): tool is Tool & { code: ToolCode } => tool.code !== undefined);
  if (withCode.length === 0) return undefined;
  const record: CodeRecord = { tools: {}, modules: {}, packages: {} };
  for (const { name, code } of withCode) {
    record.tools[name] = code.fingerprint;
    Object.assign(record.modules, code.modules);
    Object.assign(record.packages, code.packages);
  }
  return {
    tools: sortedKeys(record.tools),
    modules: sortedKeys(record.modules),
    packages: sortedKeys(record.packages),
  };
}

/**
 * The tools whose code fingerprint differs from the record. A tool that cannot tell its code
 * (loaded in-process) is never reported: there is nothing to compare.
 */
export function codeChanges(
  record: CodeRecord | undefined,
  steps: readonly WorkflowStep[],
  byName: (name: string) => Tool | undefined,
): CodeChange[] {
  const changes: CodeChange[] = [];
  const tools = toolsOf(steps, byName);
  // What the record has that no current closure has: a removal, told on each changed tool (a
  // record holds the union of the closures, so the one that dropped it cannot be named).
  const current = { modules: new Set<string>(), packages: new Set<string>() };
  for (const tool of tools) {
    for (const path of Object.keys(tool.code?.modules ?? {})) current.modules.add(path);
    for (const name of Object.keys(tool.code?.packages ?? {})) current.packages.add(name);
  }
  const removedModules = Object.keys(record?.modules ?? {})
    .filter((path) => !current.modules.has(path))
    .map((path) => ({ path, change: "removed" as const }));
  const removedPackages = Object.entries(record?.packages ?? {})
    .filter(([name]) => !current.packages.has(name))
    .map(([name, from]) => ({ name, from }));
  for (const tool of tools) {
    const code = tool.code;
    if (!code) continue;
    const recorded = record?.tools[tool.name];
    if (recorded === code.fingerprint) continue;
    const modules = Object.entries(code.modules)
      .filter(([path, hash]) => record?.modules[path] !== hash)
      .map(([path]) => ({
        path,
        change: record?.modules[path] === undefined ? ("added" as const) : ("modified" as const),
      }));
    const packages = Object.entries(code.packages)
      .filter(([name, version]) => record?.packages[name] !== version)
      .map(([name, to]) => {
        const from = record?.packages[name];
        return from === undefined ? { name, to } : { name, from, to };
      });
    changes.push({
      tool: tool.name,
      file: code.file,
      modules: [...modules, ...removedModules],
      packages: [...packages, ...removedPackages],
      unrecorded: recorded === undefined,
    });
  }
  return changes;
}

/** `forecast (weather.llm.ts): lib/units.ts modified, zod 4.1.0 → 4.2.0`. */
export function describeCodeChange(change: CodeChange): string {
  if (change.unrecorded) return `${change.tool} (${change.file}): no code fingerprint was recorded for it`;
  const parts = [
    ...change.modules.map((m) => `${m.path} ${m.change}`),
    ...change.packages.map((p) =>
      p.to === undefined
        ? `package ${p.name} ${p.from} removed`
        : p.from === undefined
          ? `package ${p.name} ${p.to} added`
          : `package ${p.name} ${p.from} → ${p.to}`,
    ),
  ];
  // A module moving between closures changes a fingerprint without any module to name.
  return `${change.tool} (${change.file}): ${parts.length > 0 ? parts.join(", ") : "its imports changed"}`;
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
