import * as vscode from "vscode";
import { readSettings, SECTION } from "../configuration";
import { settingPath } from "../../workspace/settings/settings";
import { reportWorkflowError } from "../notifications";
import { listModels } from "../statusBar";
import type { CommandContext } from "./commandContext";
import { modelTargetItems, type ModelTarget } from "./modelTarget";

/** Asks where the model goes; without a folder there is only User settings. */
async function pickTarget(scope: vscode.Uri | undefined): Promise<ModelTarget | undefined> {
  const folder = scope && vscode.workspace.getWorkspaceFolder(scope);
  if (!folder) return "user";
  const inspected = vscode.workspace.getConfiguration(SECTION, folder.uri).inspect<string>(settingPath("model"));
  const items = modelTargetItems(folder.name, {
    ...(inspected?.workspaceFolderValue ? { folder: inspected.workspaceFolderValue } : {}),
    ...(inspected?.workspaceValue ? { workspace: inspected.workspaceValue } : {}),
    ...(inspected?.globalValue ? { user: inspected.globalValue } : {}),
  });
  return (
    await vscode.window.showQuickPick(items, { placeHolder: "Save the model for this folder or for all workspaces?" })
  )?.target;
}

/**
 * `llmFunction.selectModel(model?, target?)`: picks one of the endpoint's models, asks where to
 * save it ("folder": .vscode/settings.json, which the CLI reads too; "user": User settings) and
 * writes `llmFunction.ollama.model`; sessions use it from their next call. Given arguments skip the questions.
 */
export async function selectModel(
  context: CommandContext,
  model?: string,
  target?: ModelTarget,
): Promise<string | undefined> {
  const scope = context.endpoint.scope();
  let chosen = model;
  if (!chosen) {
    const settings = readSettings(scope);
    const models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Listing models at ${settings.host}` },
      () => listModels(settings, AbortSignal.timeout(10_000)),
    );
    if (!models.ok) {
      reportWorkflowError(context.log, `Listing models at ${settings.host}`, models.error, () => selectModel(context));
      return undefined;
    }
    if (models.value.length === 0) {
      void vscode.window.showWarningMessage(
        `${settings.host} serves no models: pull one with "ollama pull ${settings.model}".`,
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      models.value.map((name) => ({ label: name, description: name === settings.model ? "current" : undefined })),
      { placeHolder: `Model for LLM Function (endpoint ${settings.host})` },
    );
    chosen = picked?.label;
  }
  if (!chosen) return undefined;
  const where = target ?? (await pickTarget(scope));
  if (!where) return undefined;
  const folder = scope && vscode.workspace.getWorkspaceFolder(scope);
  if (where === "folder" && folder) {
    await vscode.workspace
      .getConfiguration(SECTION, folder.uri)
      .update(settingPath("model"), chosen, vscode.ConfigurationTarget.WorkspaceFolder);
  } else {
    await vscode.workspace
      .getConfiguration(SECTION, scope)
      .update(settingPath("model"), chosen, vscode.ConfigurationTarget.Global);
  }
  context.log.info(
    `Model set to ${chosen} in ${where === "folder" && folder ? `${folder.name}'s .vscode/settings.json` : "User settings"}.`,
  );
  return chosen;
}
