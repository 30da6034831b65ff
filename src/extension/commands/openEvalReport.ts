import * as vscode from "vscode";
import { newestEvalReport } from "../../workspace/evaluation/evalReports";
import { storagePathIn } from "../../workspace/settings/settings";
import { readSettings } from "../configuration";

/** Opens the Markdown preview of the newest `llmfn eval` report in the workspace's storage folders. */
export async function openEvalReport(): Promise<void> {
  const storages = (vscode.workspace.workspaceFolders ?? []).map((folder) =>
    storagePathIn(folder.uri.fsPath, readSettings(folder.uri).storagePath),
  );
  const report = await newestEvalReport(storages);
  if (!report) {
    void vscode.window.showInformationMessage(
      "No evaluation report yet. Run `llmfn eval --runs 3` in a workspace folder (add `--models a,b` to compare models); its report opens here.",
    );
    return;
  }
  await vscode.commands.executeCommand("markdown.showPreview", vscode.Uri.file(report));
}
