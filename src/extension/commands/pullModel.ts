import * as vscode from "vscode";
import { withHttpScheme } from "../../engine/defaults";
import { readSettings } from "../configuration";
import { loadEngine } from "../loadEngine";
import { reportWorkflowError } from "../notifications";
import { nextPullStep, type PullProgressState } from "../pullProgress";
import type { CommandContext } from "./commandContext";

/**
 * `llmFunction.pullModel(model?)`: downloads a model onto the configured Ollama host
 * (`/api/pull`), with its progress in a notification that has Cancel. Without a name it pulls
 * the configured model. Resolves true once the model is there.
 */
export async function pullModel(context: CommandContext, model?: string): Promise<boolean> {
  const settings = readSettings(context.endpoint.scope());
  const wanted = model ?? settings.model;
  const host = withHttpScheme(settings.host);
  const engine = loadEngine();
  const pulled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Pulling ${wanted} onto ${host}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let state: PullProgressState = { percent: 0 };
      try {
        return await engine.pullOllamaModel(
          host,
          wanted,
          (update) => {
            const step = nextPullStep(state, update);
            state = step.state;
            progress.report({ message: step.message, increment: step.increment });
          },
          controller.signal,
        );
      } finally {
        cancel.dispose();
      }
    },
  );
  if (!pulled.ok) {
    if (pulled.error.kind === "CANCELLED") {
      void vscode.window.showInformationMessage(`Pulling ${wanted} was cancelled.`);
      return false;
    }
    reportWorkflowError(context.log, `Pulling ${wanted}`, pulled.error, () => pullModel(context, wanted));
    return false;
  }
  context.log.info(`Pulled ${wanted} onto ${host}.`);
  void vscode.window.showInformationMessage(`${wanted} is now on ${host}.`);
  void context.endpoint.check();
  return true;
}
