import type { Logger } from "../engine/logger";
import { WorkflowStore } from "../engine/storage/workflowStore";
import { OUTPUT_STEP } from "../engine/workflow/types";

export interface StoredWorkflowTools {
  /** The tool names their completed workflows call, sorted. */
  tools: string[];
  /** The functions named that have no completed workflow (running one would plan, with every tool). */
  unplanned: string[];
}

/**
 * What the completed stored workflows of `functions` ("all": of every function stored) call.
 * Every completed workflow counts, not only the newest: which one the runtime picks depends on
 * the function's current contract.
 */
export async function toolsOfStoredWorkflows(
  storagePath: string,
  functions: readonly string[] | "all",
  logger: Logger,
): Promise<StoredWorkflowTools> {
  const stored = await new WorkflowStore(storagePath, logger).list();
  const completed = stored.filter(
    (s) => s.workflow.completed && (functions === "all" || functions.includes(s.workflow.task.name)),
  );
  const tools = new Set<string>();
  for (const { workflow } of completed)
    for (const step of workflow.steps) if (step.tool !== OUTPUT_STEP) tools.add(step.tool);
  const planned = new Set(completed.map((s) => s.workflow.task.name));
  return {
    tools: [...tools].sort(),
    unplanned: functions === "all" ? [] : functions.filter((name) => !planned.has(name)),
  };
}
