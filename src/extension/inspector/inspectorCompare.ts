import type { StoredWorkflow } from "../../engine/runtimeTypes";
import { diffWorkflows, type WorkflowDiff } from "../../engine/review/workflowDiff";

/** The inspector's compare mode: what changed from another stored workflow to the one shown. Plain JSON. */
export interface ComparisonView {
  /** The workflow compared with (the diff's "before"). */
  file: string;
  diff: WorkflowDiff;
}

/** Undefined when nothing is to be compared, or either workflow is gone. */
export function comparisonView(
  workflows: readonly StoredWorkflow[],
  selectedFile: string | undefined,
  compareFile: string | undefined,
): ComparisonView | undefined {
  if (compareFile === undefined || selectedFile === undefined) return undefined;
  const before = workflows.find((stored) => stored.file === compareFile);
  const after = workflows.find((stored) => stored.file === selectedFile);
  if (!before || !after || before === after) return undefined;
  return { file: before.file, diff: diffWorkflows(before.workflow, after.workflow) };
}
