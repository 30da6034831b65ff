import * as vscode from "vscode";
import type { WorkspaceSession } from "../../workspace/workspaceSession";
import type { DiscoveredFunction } from "../../workspace/workspaceTypes";
import type { FolderRuntimes } from "../folderRuntimes";
import { sortedByName } from "../views/viewModel";
import type { CommandTarget } from "./commandArgs";

export interface PickedFunction {
  folder: vscode.WorkspaceFolder;
  session: WorkspaceSession;
  fn: DiscoveredFunction;
}

interface FunctionPick extends vscode.QuickPickItem {
  picked_: PickedFunction;
}

function explainUntrusted(): void {
  void vscode.window
    .showWarningMessage("LLM Function runs no workspace code until you trust this workspace.", "Manage Workspace Trust")
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand("workbench.trust.manage");
    });
}

/** The function a command acts on: the one named by the caller, or one the user picks across folders. */
export async function pickFunction(
  runtimes: FolderRuntimes,
  target: CommandTarget,
  placeHolder: string,
): Promise<PickedFunction | undefined> {
  if (!runtimes.trusted) {
    explainUntrusted();
    return undefined;
  }
  if (target.folderUri && target.functionName) {
    const folder = runtimes.folderFor(target.folderUri);
    if (!folder) throw new Error(`${target.folderUri} is not an open workspace folder.`);
    const session = await runtimes.session(folder);
    if (!session)
      throw new Error(`${folder.name} cannot be used: ${runtimes.openError(folder)?.message ?? "see the log"}.`);
    const fn = session.discovery.functions.find((candidate) => candidate.name === target.functionName);
    if (!fn) throw new Error(`No LLM function named ${target.functionName} in ${folder.name}.`);
    return { folder, session, fn };
  }
  const folders = target.folderUri
    ? [runtimes.folderFor(target.folderUri)].filter((f) => f !== undefined)
    : runtimes.folders();
  const multiRoot = runtimes.folders().length > 1;
  const items: FunctionPick[] = [];
  for (const folder of folders) {
    const session = await runtimes.session(folder);
    if (!session) continue;
    for (const fn of sortedByName(session.discovery.functions)) {
      items.push({
        label: fn.name,
        description: multiRoot ? folder.name : vscode.workspace.asRelativePath(fn.location.file, false),
        detail: fn.description,
        picked_: { folder, session, fn },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window
      .showInformationMessage("No LLM functions found in this workspace.", "Set Up Workspace")
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand("llmFunction.setUpWorkspace");
      });
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.picked_;
}

/** The folder a folder-level command acts on: the given one, the only one, or one the user picks. */
export async function pickFolder(
  runtimes: FolderRuntimes,
  folderUri: string | undefined,
): Promise<vscode.WorkspaceFolder | undefined> {
  if (folderUri) return runtimes.folderFor(folderUri);
  const folders = runtimes.folders();
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: "Choose a workspace folder" });
}
