import * as path from "node:path";
import * as vscode from "vscode";
import type { StoredWorkflow } from "../../engine/runtimeTypes";
import type { InspectorPanel } from "../inspector/inspectorPanel";
import { reportWorkflowError } from "../notifications";
import { workflowSummary } from "../views/viewModel";
import type { CommandTarget } from "./commandArgs";
import type { CommandContext } from "./commandContext";
import { pickFunction } from "./pickFunction";

/** `llmFunction.inspectWorkflow(folderUri?, functionName?, file?)`: opens the Workflow Inspector. */
export async function inspectWorkflow(
  context: CommandContext,
  target: CommandTarget,
): Promise<InspectorPanel | undefined> {
  const picked = await pickFunction(context.runtimes, target, "Inspect the workflow of which LLM function?");
  if (!picked) return undefined;
  return context.inspectors.show(picked.folder, picked.fn.name, target.file);
}

async function pickWorkflow(workflows: StoredWorkflow[]): Promise<StoredWorkflow | undefined> {
  const inUse = workflows.find((stored) => stored.workflow.completed);
  const items = workflows.map((stored) => {
    const summary = workflowSummary(stored, { inUse: stored === inUse, locale: vscode.env.language });
    return { label: summary.label, description: summary.description, detail: path.basename(stored.file), stored };
  });
  return (await vscode.window.showQuickPick(items, { placeHolder: "Delete which workflow?" }))?.stored;
}

/**
 * `llmFunction.deleteWorkflow(folderUri?, functionName?, file?)`: deletes one stored workflow
 * after a modal confirmation. Only files the session lists for the function can be deleted.
 */
export async function deleteWorkflow(context: CommandContext, target: CommandTarget): Promise<boolean> {
  const picked = await pickFunction(context.runtimes, target, "Delete a workflow of which LLM function?");
  if (!picked) return false;
  const workflows = await picked.session.workflows(picked.fn.name);
  if (workflows.length === 0) {
    void vscode.window.showInformationMessage(`${picked.fn.name} has no stored workflows.`);
    return false;
  }
  const chosen = target.file ? workflows.find((stored) => stored.file === target.file) : await pickWorkflow(workflows);
  if (!chosen) {
    if (target.file) throw new Error(`${target.file} is not a stored workflow of ${picked.fn.name}.`);
    return false;
  }
  const summary = workflowSummary(chosen, { locale: vscode.env.language });
  const confirmed = await vscode.window.showWarningMessage(
    `Delete this workflow of ${picked.fn.name}?`,
    {
      modal: true,
      detail: `${path.basename(chosen.file)}\n${summary.label}, ${summary.description}. The file is removed from disk.`,
    },
    "Delete",
  );
  if (confirmed !== "Delete") return false;
  const deleted = await picked.session.deleteWorkflow(chosen.file);
  context.runtimes.notify(picked.folder, "workflows");
  if (!deleted.ok) {
    reportWorkflowError(context.log, `Deleting a workflow of ${picked.fn.name}`, deleted.error);
    return false;
  }
  context.log.info(`Deleted ${chosen.file}.`);
  return true;
}
