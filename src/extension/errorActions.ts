import type { ErrorKind } from "../engine/errors";

export type ErrorAction = "Pull Model" | "Open Settings" | "Select Model" | "Retry" | "Show Log";

/**
 * The buttons of an error notification: only ways out that can work. An unreachable endpoint
 * offers its setting (choosing a model would ask the same endpoint again); a model that is not
 * pulled offers to pull it (when its name is known) or to choose one of the endpoint's models.
 */
export function errorActions(kind: ErrorKind, canRetry: boolean, canPull = false): ErrorAction[] {
  const retry: ErrorAction[] = canRetry ? ["Retry"] : [];
  switch (kind) {
    case "LLM_UNREACHABLE":
      return ["Open Settings", ...retry];
    case "LLM_MODEL_NOT_FOUND":
      return [...(canPull ? (["Pull Model"] as const) : []), "Select Model", "Open Settings", ...retry];
    case "CANCELLED":
      return [];
    default:
      return ["Show Log"];
  }
}
