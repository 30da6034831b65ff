import * as path from "node:path";
import type { VerifyStatus } from "../../engine/verifyResult";
import type { FunctionStatus, StoredWorkflow } from "../../engine/runtimeTypes";
import { OUTPUT_STEP } from "../../engine/workflow/types";
import { describeError, formatShortTime } from "../displayFormat";
import type {
  DeclarationDiagnostic,
  DiscoveredFunction,
  DiscoveredTool,
  DiscoveryResult,
  SourceLocation,
} from "../../workspace/workspaceTypes";

/** A codicon id and an optional theme colour id, turned into a ThemeIcon by the adapter. */
export interface IconSpec {
  id: string;
  color?: string;
}

/** Everything a tree item shows, as plain data so it can be tested without VS Code. */
export interface TreeItemData {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: IconSpec;
  /** Matched by `viewItem == ...` in the menus of package.json. */
  contextValue: string;
  collapsible: "none" | "collapsed" | "expanded";
  /** Clicking the item opens this place in an editor. */
  open?: SourceLocation;
  /** Clicking the item opens the Problems panel. */
  showProblems?: boolean;
}

export const CONTEXT = {
  folder: "llmFunction.folder",
  function: "llmFunction.function",
  workflowGroup: "llmFunction.workflowGroup",
  workflow: "llmFunction.workflow",
  tool: "llmFunction.tool",
  message: "llmFunction.message",
} as const;

export interface FolderRef {
  folderUri: string;
  folderName: string;
}

export type TreeNode =
  | ({ kind: "folder" } & FolderRef)
  /** `showProblems`: clicking opens the Problems panel (a declaration file that does not load). */
  | ({ kind: "message"; text: string; detail?: string; description?: string; showProblems?: boolean } & FolderRef)
  | ({
      kind: "function";
      fn: DiscoveredFunction;
      status: FunctionStatus;
      /** Why it is stale, unverified or failed: the tool and file that changed, the failing test. */
      reason?: string;
      /** The last Verify Workflows result. */
      verify?: { status: VerifyStatus; reason?: string };
    } & FolderRef)
  /** `declared: false`: stored workflows of a function whose declaration is not loaded now (a compile error, a rename). */
  | ({ kind: "workflowGroup"; functionName: string; workflows: StoredWorkflow[]; declared: boolean } & FolderRef)
  /** `inUse`: the workflow runs use (the newest completed one). */
  | ({ kind: "workflow"; functionName: string; stored: StoredWorkflow; inUse: boolean } & FolderRef)
  | ({ kind: "tool"; tool: DiscoveredTool } & FolderRef);

const STATUS_PRESENTATION: Record<FunctionStatus, { label: string; icon: IconSpec; meaning: string }> = {
  ready: {
    label: "ready",
    icon: { id: "pass-filled", color: "testing.iconPassed" },
    meaning: "A completed workflow is stored and runs without the LLM.",
  },
  not_planned: {
    label: "not planned",
    icon: { id: "circle-large-outline" },
    meaning: "No workflow yet: the first run plans one.",
  },
  stale: {
    label: "stale",
    icon: { id: "warning", color: "list.warningForeground" },
    meaning: "A tool's contract changed, or its code changed and a test no longer passes: the next run replans.",
  },
  unverified: {
    label: "unverified",
    icon: { id: "question", color: "list.warningForeground" },
    meaning: "A tool's code changed and the function has no test to replay: it runs, with a warning.",
  },
  failed: {
    label: "failed",
    icon: { id: "error", color: "testing.iconFailed" },
    meaning: "The last planning failed: inspect it for the reason.",
  },
};

export function statusPresentation(status: FunctionStatus): { label: string; icon: IconSpec; meaning: string } {
  return STATUS_PRESENTATION[status];
}

function locationText(location: SourceLocation, folder?: string): string {
  const file = folder ? path.relative(folder, location.file) || location.file : location.file;
  return `${file}:${location.line}`;
}

/** The folder path of a `file://` folder URI, for relative file names in tooltips. */
function folderPathOf(folderUri: string): string | undefined {
  return folderUri.startsWith("file://") ? decodeURIComponent(new URL(folderUri).pathname) : undefined;
}

/** `locale`: the display language times are written in (`vscode.env.language`). */
export function treeItemOf(node: TreeNode, locale?: string): TreeItemData {
  const base = `${node.folderUri}#`;
  switch (node.kind) {
    case "folder":
      return {
        id: `${base}folder`,
        label: node.folderName,
        icon: { id: "root-folder" },
        contextValue: CONTEXT.folder,
        collapsible: "expanded",
      };
    case "message":
      return {
        id: `${base}message:${node.text}`,
        label: node.text,
        ...(node.description ? { description: node.description } : {}),
        ...(node.detail ? { tooltip: node.detail } : {}),
        icon: node.showProblems ? { id: "error", color: "problemsErrorIcon.foreground" } : { id: "info" },
        ...(node.showProblems ? { showProblems: true } : {}),
        contextValue: CONTEXT.message,
        collapsible: "none",
      };
    case "function": {
      const status = statusPresentation(node.status);
      const why = node.reason === undefined ? "" : `\nWhy: ${node.reason}`;
      const verify = node.verify;
      const verified = verify
        ? `\nLast verification: ${verify.status.replace(/_/g, " ")}${verify.reason ? ` (${verify.reason})` : ""}`
        : "";
      return {
        id: `${base}function:${node.fn.name}`,
        label: node.fn.name,
        description: verify ? `${status.label} · verify ${verify.status.replace(/_/g, " ")}` : status.label,
        tooltip: `${node.fn.description}\n\nStatus: ${status.label}. ${status.meaning}${why}${verified}\n${locationText(node.fn.location, folderPathOf(node.folderUri))}`,
        icon: status.icon,
        contextValue: CONTEXT.function,
        collapsible: "none",
        open: node.fn.location,
      };
    }
    case "workflowGroup":
      return {
        id: `${base}workflows:${node.functionName}`,
        label: node.functionName,
        description: node.declared
          ? node.workflows.length === 1
            ? "1 workflow"
            : `${node.workflows.length} workflows`
          : "not loaded",
        ...(node.declared
          ? {}
          : {
              tooltip: `The declaration of ${node.functionName} is not loaded now (a file that does not compile, or a renamed function): its stored workflows are listed, and run again once it loads.`,
            }),
        icon: { id: node.declared ? "symbol-function" : "warning" },
        contextValue: CONTEXT.workflowGroup,
        collapsible: node.workflows.length > 0 ? "expanded" : "none",
      };
    case "workflow": {
      const summary = workflowSummary(node.stored, { inUse: node.inUse, ...(locale ? { locale } : {}) });
      return {
        id: `${base}workflow:${node.stored.file}`,
        label: summary.label,
        description: summary.description,
        tooltip: summary.tooltip,
        icon: summary.completed
          ? { id: node.inUse ? "pass-filled" : "pass", color: "testing.iconPassed" }
          : { id: "error", color: "testing.iconFailed" },
        contextValue: CONTEXT.workflow,
        collapsible: "none",
      };
    }
    case "tool":
      return {
        id: `${base}tool:${node.tool.name}`,
        label: node.tool.name,
        description: firstLine(node.tool.description),
        tooltip: `${node.tool.description}\n\n${locationText(node.tool.location, folderPathOf(node.folderUri))}`,
        icon: { id: "tools" },
        contextValue: CONTEXT.tool,
        collapsible: "none",
        open: node.tool.location,
      };
  }
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export function toolStepCount(stored: StoredWorkflow): number {
  return stored.workflow.steps.filter((step) => step.tool !== OUTPUT_STEP).length;
}

export interface WorkflowSummary {
  label: string;
  description: string;
  tooltip: string;
  completed: boolean;
}

/**
 * Short enough for the default side-bar width: the local time as label, then "in use · 3 steps",
 * "3 steps" or "failed"; the icon repeats the status, the tooltip says it all.
 */
export function workflowSummary(
  stored: StoredWorkflow,
  options: { inUse?: boolean; locale?: string } = {},
): WorkflowSummary {
  const { workflow } = stored;
  const steps = toolStepCount(stored);
  const status = workflow.completed ? "completed" : "failed";
  const stepText = steps === 1 ? "1 step" : `${steps} steps`;
  const error = workflow.lastError ? `\nLast error: ${describeError(workflow.lastError)}` : "";
  const inUse = options.inUse ? "\nIn use: runs of this function use this workflow." : "";
  return {
    label: formatShortTime(workflow.savedAt, options.locale),
    description: workflow.completed ? `${options.inUse ? "in use · " : ""}${stepText}` : "failed",
    tooltip: `${path.basename(stored.file)}\nModel: ${workflow.model}\n${status}, ${stepText}, ${workflow.stats.llmCalls} LLM calls${inUse}${error}`,
    completed: workflow.completed,
  };
}

/** Functions sorted by name; shared by the Functions view and quick picks. */
export function sortedByName<T extends { name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

/** A declaration file with errors none of whose declarations loaded: it did not compile or load. */
export interface BrokenFile {
  file: string;
  firstError: string;
  errors: number;
}

export function brokenFiles(
  diagnostics: readonly DeclarationDiagnostic[],
  loaded: readonly { location: SourceLocation }[],
): BrokenFile[] {
  const withDeclarations = new Set(loaded.map((declaration) => declaration.location.file));
  const byFile = new Map<string, BrokenFile>();
  for (const diagnostic of diagnostics) {
    const { file } = diagnostic.location;
    if (diagnostic.severity !== "error" || withDeclarations.has(file)) continue;
    const entry = byFile.get(file);
    if (entry) entry.errors++;
    else byFile.set(file, { file, firstError: diagnostic.message, errors: 1 });
  }
  return [...byFile.values()];
}

/** Message nodes for each broken file, pointing to the Problems panel. */
export function brokenFileNodes(broken: readonly BrokenFile[], ref: FolderRef): TreeNode[] {
  const folder = folderPathOf(ref.folderUri);
  return broken.map((entry) => ({
    kind: "message",
    ...ref,
    text: `${folder ? path.relative(folder, entry.file) || entry.file : entry.file} does not compile`,
    description: entry.errors === 1 ? "1 error in Problems" : `${entry.errors} errors in Problems`,
    detail: `${entry.firstError}\n\nIts declarations are not loaded until it compiles; the other files' are. Click to open the Problems panel.`,
    showProblems: true,
  }));
}

/**
 * The rows the Functions and Tools views open with: each declaration file that does not compile.
 * Either kind of declaration counts as loaded, so a file whose tools loaded is not named.
 */
export function brokenFileRows(
  discovery: Pick<DiscoveryResult, "diagnostics" | "functions" | "tools">,
  ref: FolderRef,
): TreeNode[] {
  return brokenFileNodes(brokenFiles(discovery.diagnostics, [...discovery.functions, ...discovery.tools]), ref);
}

/** The Tools view: broken files first (else a file holding every tool would leave "No tools found"), then the tools. */
export function toolNodes(
  discovery: Pick<DiscoveryResult, "diagnostics" | "functions" | "tools">,
  ref: FolderRef,
): TreeNode[] {
  return [
    ...brokenFileRows(discovery, ref),
    ...sortedByName(discovery.tools).map((tool): TreeNode => ({ kind: "tool", ...ref, tool })),
  ];
}

/** Workflow groups for the Workflows view: declared functions first, then stored workflows of functions not loaded now. */
export function workflowGroups(
  declared: readonly string[],
  byDeclared: ReadonlyMap<string, StoredWorkflow[]>,
  all: readonly StoredWorkflow[],
  ref: FolderRef,
): TreeNode[] {
  const groups: TreeNode[] = declared.map((functionName) => ({
    kind: "workflowGroup",
    ...ref,
    functionName,
    workflows: byDeclared.get(functionName) ?? [],
    declared: true,
  }));
  const orphans = new Map<string, StoredWorkflow[]>();
  for (const stored of all) {
    const name = stored.workflow.task.name;
    if (declared.includes(name)) continue;
    orphans.set(name, [...(orphans.get(name) ?? []), stored]);
  }
  for (const [functionName, workflows] of [...orphans].sort(([a], [b]) => a.localeCompare(b))) {
    groups.push({ kind: "workflowGroup", ...ref, functionName, workflows, declared: false });
  }
  return groups;
}
