/**
 * What the workspace layer throws: a kind to branch on (callers and tests match kinds, never
 * message text), the stage it happened in, and a message a user can act on.
 */
export const WORKSPACE_ERROR_KINDS = [
  /** The session (and with it its tool host) was closed; nothing more runs on it. */
  "SESSION_CLOSED",
  /** The package's own build output is missing: `npm run build` (or a reinstall) is the fix. */
  "INSTALLATION_INCOMPLETE",
  /** A tool threw, or its input or output was refused. */
  "TOOL_FAILED",
  /** A call or a load took longer than its time limit; the tool host was restarted. */
  "TOOL_TIMEOUT",
  /** The caller's signal fired. */
  "TOOL_CANCELLED",
  /** The tool host process ended (or could not be reached) under a request. */
  "TOOL_HOST_EXITED",
  /** The input cannot be carried to the tool host as JSON (a BigInt, a cycle). */
  "TOOL_INPUT_NOT_JSON",
  /** The tool host answered with a message of the wrong type: a bug of ours. */
  "TOOL_HOST_PROTOCOL",
  /** Discovery's results contradict each other: a bug of ours. */
  "INTERNAL",
] as const;
export type WorkspaceErrorKind = (typeof WORKSPACE_ERROR_KINDS)[number];

/** Where it happened: opening or changing the session, loading declarations, or calling a tool. */
export type WorkspaceStage = "session" | "load" | "call";

export class WorkspaceError extends Error {
  override readonly name = "WorkspaceError";

  constructor(
    readonly kind: WorkspaceErrorKind,
    readonly stage: WorkspaceStage,
    message: string,
  ) {
    super(message);
  }
}

export function isWorkspaceError(error: unknown, kind?: WorkspaceErrorKind): error is WorkspaceError {
  return error instanceof WorkspaceError && (kind === undefined || error.kind === kind);
}
