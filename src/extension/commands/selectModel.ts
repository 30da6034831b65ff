import * as vscode from "vscode";
import { readSettings, updateSetting } from "../configuration";
import { reportWorkflowError } from "../notifications";
import { listModels } from "../statusBar";
import type { CommandContext } from "./commandContext";

/**
 * `llmFunction.selectModel(model?)`: picks one of the endpoint's models and writes
 * `llmFunction.ollama.model`; sessions use it from their next call. A given name skips the pick.
 */
export async function selectModel(context: CommandContext, model?: string): Promise<string | undefined> {
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
      void vscode.window.showWarningMessage(`${settings.host} serves no models: pull one with "ollama pull ${settings.model}".`);
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      models.value.map((name) => ({ label: name, description: name === settings.model ? "current" : undefined })),
      { placeHolder: `Model for LLM Function (endpoint ${settings.host})` },
    );
    chosen = picked?.label;
  }
  if (!chosen) return undefined;
  await updateSetting("model", chosen, scope);
  context.log.info(`Model set to ${chosen}.`);
  return chosen;
}
