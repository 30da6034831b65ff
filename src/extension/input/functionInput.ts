import { formatIssues, type ValidationIssue } from "../../engine/json/validationIssues";
import type { Result } from "../../engine/result";

/**
 * Parses what the user typed and validates it against the function's input schema.
 * The error is a message ready to show: the JSON syntax error or zod's issues.
 */
export function parseFunctionInput(
  text: string,
  validate: (value: unknown) => Result<unknown, ValidationIssue[]>,
): Result<unknown, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const validated = validate(value);
  return validated.ok ? { ok: true, value } : { ok: false, error: `Does not match the input schema: ${formatIssues(validated.error)}` };
}
