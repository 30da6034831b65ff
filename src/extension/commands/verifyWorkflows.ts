import * as vscode from "vscode";
import { VERIFY_STATUSES, type VerifyResult } from "../../engine/verifyResult";
import type { CommandContext } from "./commandContext";
import { verifyLabel } from "../verify/verifyProblems";

/**
 * LLM Function: Verify Workflows. Replays every function's newest completed workflow on its test
 * cases (no LLM, nothing written), folder by folder, as `llmfn verify` does; the results land in
 * the Functions view and in Problems.
 */
export async function verifyWorkflows(context: CommandContext): Promise<void> {
  const { runtimes, verifyResults, log } = context;
  const all: VerifyResult[] = [];
  const cancelled = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "LLM Function: Verifying workflows", cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        for (const folder of runtimes.folders()) {
          const session = await runtimes.session(folder);
          if (!session) continue;
          const results: VerifyResult[] = [];
          for (const fn of session.discovery.functions) {
            if (controller.signal.aborted) return true;
            progress.report({ message: `${fn.name} (${folder.name})` });
            const verified = await session.verify(fn.name, { signal: controller.signal });
            if (!verified.ok) {
              if (verified.error.kind === "CANCELLED") return true;
              log.error(`${folder.name}: verifying ${fn.name} failed: ${verified.error.message}`);
              continue;
            }
            results.push(verified.value);
            log.info(
              `${folder.name}: ${fn.name}: ${verifyLabel(verified.value.status)}${verified.value.reason ? ` (${verified.value.reason})` : ""}`,
            );
          }
          verifyResults.set(folder.uri.toString(), results, session.discovery.functions);
          all.push(...results);
        }
        return false;
      } finally {
        subscription.dispose();
      }
    },
  );
  if (cancelled) {
    void vscode.window.showInformationMessage(
      "LLM Function: verification cancelled; the results of the folders finished are shown.",
    );
    return;
  }
  const counts = VERIFY_STATUSES.map(
    (status) => [status, all.filter((r) => r.status === status).length] as const,
  ).filter(([, n]) => n > 0);
  const summary = counts.map(([status, n]) => `${n} ${verifyLabel(status)}`).join(", ") || "no functions";
  if (all.every((r) => r.status === "passed")) {
    void vscode.window.showInformationMessage(`LLM Function: Verify Workflows: ${summary}.`);
    return;
  }
  const choice = await vscode.window.showWarningMessage(`LLM Function: Verify Workflows: ${summary}.`, "Show Problems");
  if (choice === "Show Problems") await vscode.commands.executeCommand("workbench.actions.view.problems");
}
