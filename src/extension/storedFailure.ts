import type { WorkflowError } from "../engine/errors";
import { describeError, formatTime } from "./displayFormat";

/** When a call replayed a failed planning that is stored (see the engine's `details.storedFailure`). */
export interface StoredFailure {
  savedAt: string;
  file?: string;
}

export function storedFailureOf(error: WorkflowError): StoredFailure | undefined {
  const stored = error.details?.storedFailure;
  if (typeof stored !== "object" || stored === null) return undefined;
  const { savedAt, file } = stored as { savedAt?: unknown; file?: unknown };
  if (typeof savedAt !== "string") return undefined;
  return typeof file === "string" ? { savedAt, file } : { savedAt };
}

/** Says the result is a stored one, why it repeats, and what it was. */
export function storedFailureMessage(
  functionName: string,
  error: WorkflowError,
  stored: StoredFailure,
  locale?: string,
): string {
  return `${functionName}: stored result of the planning that failed on ${formatTime(stored.savedAt, locale)}, repeated without asking the LLM. Replan to try again. ${describeError(error)}`;
}
