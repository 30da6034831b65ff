import type { ProgressEvent, ProgressStage } from "../engine/progress";

const STAGE_LABELS: Record<ProgressStage, string> = {
  lookup: "Looking up a stored workflow",
  check: "Checking the task can be done",
  plan: "Planning",
  adapt: "Adapting arguments",
  test: "Testing",
  run: "Running",
  save: "Saving the workflow",
};

/** One line for the progress notification, e.g. `Planning (loop 1, attempt 2): ...`. */
export function progressMessage(event: ProgressEvent): string {
  const where: string[] = [];
  if (event.loop !== undefined) where.push(`loop ${event.loop + 1}`);
  if (event.attempt !== undefined) where.push(`attempt ${event.attempt}`);
  if (event.step !== undefined) where.push(`step ${event.step}`);
  const prefix = `${STAGE_LABELS[event.stage]}${where.length > 0 ? ` (${where.join(", ")})` : ""}`;
  const suffix = event.status === "error" && event.error ? `failed: ${event.error.kind}` : event.message;
  return suffix ? `${prefix}: ${suffix}` : prefix;
}
