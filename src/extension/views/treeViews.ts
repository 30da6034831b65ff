import * as vscode from "vscode";
import { describeUnknown } from "../../engine/errors";
import type { WorkspaceSession } from "../../workspace/workspaceSession";
import type { FolderRuntimes } from "../folderRuntimes";
import type { VerifyResults } from "../verify/verifyResults";
import {
  brokenFileRows,
  sortedByName,
  toolNodes,
  treeItemOf,
  workflowGroups,
  type FolderRef,
  type TreeItemData,
  type TreeNode,
} from "./viewModel";

type ViewKind = "functions" | "workflows" | "tools";

const REFRESH_COALESCE_MS = 100;

function toTreeItem(data: TreeItemData, node: TreeNode): vscode.TreeItem {
  const collapsible = {
    none: vscode.TreeItemCollapsibleState.None,
    collapsed: vscode.TreeItemCollapsibleState.Collapsed,
    expanded: vscode.TreeItemCollapsibleState.Expanded,
  }[data.collapsible];
  const item = new vscode.TreeItem(data.label, collapsible);
  item.id = data.id;
  if (data.description !== undefined) item.description = data.description;
  if (data.tooltip !== undefined) item.tooltip = data.tooltip;
  item.iconPath = new vscode.ThemeIcon(
    data.icon.id,
    data.icon.color ? new vscode.ThemeColor(data.icon.color) : undefined,
  );
  item.contextValue = data.contextValue;
  if (node.kind === "workflow") {
    item.command = {
      command: "llmFunction.inspectWorkflow",
      title: "Inspect Workflow",
      arguments: [node.folderUri, node.functionName, node.stored.file],
    };
  } else if (data.showProblems) {
    item.command = { command: "workbench.actions.view.problems", title: "Open Problems" };
  } else if (data.open) {
    const position = new vscode.Position(Math.max(0, data.open.line - 1), Math.max(0, data.open.column - 1));
    item.command = {
      command: "vscode.open",
      title: "Open Declaration",
      arguments: [vscode.Uri.file(data.open.file), { selection: new vscode.Range(position, position) }],
    };
  }
  return item;
}

/**
 * One of the three side-panel trees. Nodes are plain data (views/viewModel.ts); this class
 * only fetches them from the folder sessions and turns them into TreeItems.
 */
export class LlmFunctionTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly kind: ViewKind,
    private readonly runtimes: FolderRuntimes,
    private readonly verifyResults: VerifyResults,
  ) {
    this.subscriptions = [runtimes.onDidChange(() => this.refresh())];
    if (kind === "functions") this.subscriptions.push(verifyResults.onDidChange(() => this.refresh()));
  }

  /**
   * One refresh for a burst of changes (a save fires discovery, workflow and diagnostics events
   * together): a refresh arriving while VS Code still fetches the children of the last one drops
   * the items it asks about, which it logs as "No tree item with id … found".
   */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire(undefined);
    }, REFRESH_COALESCE_MS);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return toTreeItem(treeItemOf(node, vscode.env.language), node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const folders = this.runtimes.folders();
    if (!node) {
      if (folders.length === 1 && folders[0]) return this.folderChildren(folders[0]);
      return folders.map((folder) => ({ kind: "folder", folderUri: folder.uri.toString(), folderName: folder.name }));
    }
    if (node.kind === "folder") {
      const folder = this.runtimes.folderFor(node.folderUri);
      return folder ? this.folderChildren(folder) : [];
    }
    if (node.kind === "workflowGroup") {
      // Runs use the newest completed workflow (the list is newest first).
      const inUse = node.workflows.find((stored) => stored.workflow.completed);
      return node.workflows.map((stored) => ({
        kind: "workflow",
        folderUri: node.folderUri,
        folderName: node.folderName,
        functionName: node.functionName,
        stored,
        inUse: stored === inUse,
      }));
    }
    return [];
  }

  private async folderChildren(folder: vscode.WorkspaceFolder): Promise<TreeNode[]> {
    const ref: FolderRef = { folderUri: folder.uri.toString(), folderName: folder.name };
    const session = await this.runtimes.session(folder);
    if (!session) {
      const failure = this.runtimes.openError(folder);
      if (!failure) return [];
      const text = failure.cause === "settings" ? "Invalid settings" : "Could not load declarations";
      return [{ kind: "message", ...ref, text, detail: failure.message }];
    }
    try {
      return await this.nodesOf(session, ref);
    } catch (error) {
      return [{ kind: "message", ...ref, text: "Could not read this folder", detail: describeUnknown(error) }];
    }
  }

  private async nodesOf(session: WorkspaceSession, ref: FolderRef): Promise<TreeNode[]> {
    const { discovery } = session;
    switch (this.kind) {
      case "functions": {
        // A file that does not compile is named (with the way to its errors); the others' functions stay.
        const broken = brokenFileRows(discovery, ref);
        const functions = await Promise.all(
          sortedByName(discovery.functions).map(async (fn): Promise<TreeNode> => {
            const state = await session.state(fn.name);
            const verified = this.verifyResults.of(ref.folderUri, fn.name);
            return {
              kind: "function",
              ...ref,
              fn,
              status: state.status,
              ...(state.reason === undefined ? {} : { reason: state.reason }),
              ...(verified
                ? {
                    verify: {
                      status: verified.status,
                      ...(verified.reason === undefined ? {} : { reason: verified.reason }),
                    },
                  }
                : {}),
            };
          }),
        );
        return [...broken, ...functions];
      }
      case "workflows": {
        const declared = sortedByName(discovery.functions).map((fn) => fn.name);
        const [byDeclared, all] = await Promise.all([
          Promise.all(declared.map(async (name) => [name, await session.workflows(name)] as const)),
          session.allWorkflows(),
        ]);
        return workflowGroups(declared, new Map(byDeclared), all, ref);
      }
      case "tools":
        return toolNodes(discovery, ref);
    }
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

export interface Views {
  functions: LlmFunctionTree;
  workflows: LlmFunctionTree;
  tools: LlmFunctionTree;
}

export function registerViews(
  runtimes: FolderRuntimes,
  verifyResults: VerifyResults,
  subscriptions: vscode.Disposable[],
): Views {
  const views: Views = {
    functions: new LlmFunctionTree("functions", runtimes, verifyResults),
    workflows: new LlmFunctionTree("workflows", runtimes, verifyResults),
    tools: new LlmFunctionTree("tools", runtimes, verifyResults),
  };
  for (const [kind, provider] of Object.entries(views) as [ViewKind, LlmFunctionTree][]) {
    subscriptions.push(
      provider,
      vscode.window.createTreeView(`llmFunction.${kind}`, {
        treeDataProvider: provider,
        showCollapseAll: kind !== "tools",
      }),
    );
  }
  return views;
}
