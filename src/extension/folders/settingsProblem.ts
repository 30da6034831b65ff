import * as vscode from "vscode";
import { describeUnknown, workflowError } from "../../engine/errors";
import { rawSettings, SECTION } from "../configuration";
import { loadEngine } from "../loadEngine";
import { describeWorkflowError } from "../notifications";

/** The folder's first setting outside the bounds of package.json, as a CONFIG message. */
export function settingsProblem(folder: vscode.WorkspaceFolder): string | undefined {
  const engine = loadEngine();
  const parsed = engine.parseSettings(rawSettings(folder.uri));
  return parsed.ok
    ? undefined
    : describeWorkflowError(workflowError("CONFIG", "config", engine.describeInvalidSetting(parsed.error)));
}

/** Tells the user which setting keeps the folder closed, with a way to the Settings editor. */
export function showSettingsProblem(
  folder: vscode.WorkspaceFolder,
  message: string,
  log: vscode.LogOutputChannel,
): void {
  void vscode.window
    .showErrorMessage(`LLM Function (${folder.name}): ${message}`, "Open Settings")
    .then((choice) => (choice ? vscode.commands.executeCommand("workbench.action.openSettings", SECTION) : undefined))
    .then(undefined, (error: unknown) => log.error(`Opening the settings failed: ${describeUnknown(error)}`));
}
