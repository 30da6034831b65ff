/**
 * A value that failed validation, and where: the engine's validators report these, and zod's
 * issues have the same shape, so one formatter serves both without importing zod.
 */
export interface ValidationIssue {
  path: (string | number)[];
  message: string;
  code?: string;
}

/** What formatting needs of an issue: zod's `$ZodIssue` and ValidationIssue both fit. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `items[0].name`; the empty path (the value itself) is the empty string. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** `city: Expected string, received number`, or just the message for the value itself. */
export function formatIssue(issue: IssueLike): string {
  const path = formatIssuePath(issue.path);
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

export function formatIssues(issues: readonly IssueLike[]): string {
  return issues.map(formatIssue).join("; ");
}
