import * as vscode from "vscode";
import { guarded } from "../notifications";
import { commandTarget } from "./commandArgs";
import type { CommandContext } from "./commandContext";
import { openEvalReport } from "./openEvalReport";
import { pullModel } from "./pullModel";
import { planFunction, runFunction, runInputFile } from "./runFunction";
import { selectModel } from "./selectModel";
import { setUpWorkspace } from "./setUpWorkspace";
import { verifyWorkflows } from "./verifyWorkflows";
import { deleteWorkflow, inspectWorkflow } from "./workflowCommands";

/** Every `llmFunction.*` command; each handler reports its own failures instead of throwing. */
export function registerCommands(context: CommandContext): vscode.Disposable[] {
  const { log } = context;
  const commands: Record<string, (...args: unknown[]) => Promise<unknown>> = {
    "llmFunction.runFunction": guarded(log, "Run Function", (...args: unknown[]) =>
      runFunction(context, commandTarget(args, "input")),
    ),
    "llmFunction.runInputFile": guarded(log, "Run Function with This Input", (uri?: unknown) =>
      runInputFile(context, uri instanceof vscode.Uri ? uri : undefined),
    ),
    "llmFunction.planFunction": guarded(log, "Plan Function", (...args: unknown[]) =>
      planFunction(context, commandTarget(args, "file")),
    ),
    "llmFunction.inspectWorkflow": guarded(log, "Inspect Workflow", (...args: unknown[]) =>
      inspectWorkflow(context, commandTarget(args, "file")),
    ),
    "llmFunction.deleteWorkflow": guarded(log, "Delete Workflow", (...args: unknown[]) =>
      deleteWorkflow(context, commandTarget(args, "file")),
    ),
    "llmFunction.selectModel": guarded(log, "Select Model", (model?: unknown, target?: unknown) =>
      selectModel(
        context,
        typeof model === "string" ? model : undefined,
        target === "folder" || target === "user" ? target : undefined,
      ),
    ),
    "llmFunction.pullModel": guarded(log, "Pull Model", (model?: unknown) =>
      pullModel(context, typeof model === "string" ? model : undefined),
    ),
    "llmFunction.refresh": guarded(log, "Refresh", async () => {
      await context.runtimes.refresh();
      void context.endpoint.check();
    }),
    "llmFunction.setUpWorkspace": guarded(log, "Set Up Workspace", (...args: unknown[]) =>
      setUpWorkspace(context, commandTarget(args).folderUri),
    ),
    "llmFunction.showLog": guarded(log, "Show Log", async () => log.show()),
    "llmFunction.verifyWorkflows": guarded(log, "Verify Workflows", () => verifyWorkflows(context)),
    "llmFunction.openEvalReport": guarded(log, "Open Evaluation Report", () => openEvalReport()),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
