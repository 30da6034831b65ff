import type { ProgressEvent, ProgressStage } from "../engine/progress";
import { plainText } from "./displayFormat";

const STAGE_LABELS: Record<ProgressStage, string> = {
  lookup: "Looking up a stored workflow",
  check: "Checking the task can be done",
  plan: "Planning",
  adapt: "Adapting arguments",
  test: "Testing",
  run: "Running",
  save: "Saving the workflow",
};

const firstWord = (text: string) => (/^\p{L}+/u.exec(text)?.[0] ?? "").toLowerCase();

/**
 * One line for the progress notification, saying each thing once: `Testing on 2 cases · attempt 2`,
 * `Planning: asking qwen3:8b · loop 2, attempt 3`. The stage label leads unless the engine's
 * message already starts with it; where in the loop comes last, leaving out what the message says.
 */
export function progressMessage(event: ProgressEvent): string {
  const label = STAGE_LABELS[event.stage];
  const message = plainText(event.status === "error" && event.error ? event.error.message : event.message);
  const mentions = (word: string) => new RegExp(`\\b${word}\\b`, "i").test(message);
  const where: string[] = [];
  if (event.loop !== undefined && event.loop > 0 && !mentions("loop")) where.push(`loop ${event.loop + 1}`);
  if (event.attempt !== undefined && !mentions("attempt")) where.push(`attempt ${event.attempt}`);
  if (event.step !== undefined && !mentions("step")) where.push(`step ${event.step}`);
  const suffix = where.length > 0 ? ` · ${where.join(", ")}` : "";
  if (event.status === "error" && event.error) return `${label} failed: ${message}${suffix}`;
  if (!message) return `${label}${suffix}`;
  return `${firstWord(message) === firstWord(label) ? message : `${label}: ${message}`}${suffix}`;
}
