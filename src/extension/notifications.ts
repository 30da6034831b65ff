import * as vscode from "vscode";
import { describeUnknown, type WorkflowError } from "../engine/errors";
import { describeError, plainText } from "./displayFormat";
import { errorActions } from "./errorActions";

/** Messages already name the issues they carry (see the engine's INPUT_VALIDATION errors). */
export function describeWorkflowError(error: WorkflowError): string {
  return describeError(error);
}

/**
 * Shows a failure without blocking the caller: command handlers return at once and the
 * notification's buttons act later. Endpoint problems offer the ways out.
 */
export function reportWorkflowError(
  log: vscode.LogOutputChannel,
  subject: string,
  error: WorkflowError,
  retry?: () => unknown,
): void {
  const text = `${subject}: ${describeWorkflowError(error)}`;
  log.error(text);
  if (error.kind === "CANCELLED") {
    void vscode.window.showInformationMessage(`${subject}: cancelled.`);
    return;
  }
  // A model that is not on the host can be pulled from here; the call is retried once it is.
  const missing =
    error.kind === "LLM_MODEL_NOT_FOUND" && typeof error.details?.model === "string" ? error.details.model : undefined;
  void vscode.window
    .showErrorMessage(text, ...errorActions(error.kind, retry !== undefined, missing !== undefined))
    .then((choice) => {
      if (choice === "Pull Model" && missing) {
        inBackground(log, `Pulling ${missing}`, async () => {
          const pulled = await vscode.commands.executeCommand<boolean | undefined>("llmFunction.pullModel", missing);
          if (pulled && retry) await retry();
        });
      } else if (choice === "Open Settings")
        inBackground(log, "Open Settings", () =>
          vscode.commands.executeCommand("workbench.action.openSettings", "llmFunction.ollama"),
        );
      else if (choice === "Select Model")
        inBackground(log, "Select Model", () => vscode.commands.executeCommand("llmFunction.selectModel"));
      else if (choice === "Retry" && retry) inBackground(log, `Retrying ${subject}`, retry);
      else if (choice === "Show Log") log.show(true);
    });
}

export function reportUnexpected(log: vscode.LogOutputChannel, subject: string, error: unknown): void {
  const message = plainText(describeUnknown(error));
  log.error(`${subject}: ${message}${error instanceof Error && error.stack ? `\n${error.stack}` : ""}`);
  void vscode.window.showErrorMessage(`${subject} failed: ${message}`, "Show Log").then((choice) => {
    if (choice === "Show Log") log.show(true);
  });
}

/**
 * Starts work nobody awaits (a notification button, a panel refresh): a failure is logged and
 * shown instead of becoming an unhandled rejection in the extension host.
 */
export function inBackground(log: vscode.LogOutputChannel, subject: string, work: () => unknown): void {
  Promise.resolve()
    .then(work)
    .catch((error: unknown) => reportUnexpected(log, subject, error));
}

/** Wraps a command handler so nothing it throws reaches the extension host. */
export function guarded<A extends unknown[], R>(
  log: vscode.LogOutputChannel,
  title: string,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R | undefined> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      reportUnexpected(log, title, error);
      return undefined;
    }
  };
}
