import type { Logger } from "../engine/logger";
import { WorkflowStore } from "../engine/storage/workflowStore";
import { OUTPUT_STEP } from "../engine/workflow/types";

/**
 * The tool names the completed stored workflows of `functions` call, or undefined when one of
 * them has none (it would need planning, hence every tool). Every completed workflow counts,
 * not only the newest: which one the runtime picks depends on the function's current contract.
 */
export async function toolsOfStoredWorkflows(
  storagePath: string,
  functions: readonly string[],
  logger: Logger,
): Promise<string[] | undefined> {
  const stored = await new WorkflowStore(storagePath, logger).list();
  const tools = new Set<string>();
  for (const name of functions) {
    const completed = stored.filter((s) => s.workflow.task.name === name && s.workflow.completed);
    if (completed.length === 0) return undefined;
    for (const { workflow } of completed)
      for (const step of workflow.steps) if (step.tool !== OUTPUT_STEP) tools.add(step.tool);
  }
  return [...tools].sort();
}
