import { parseJsonWithLimits } from "../../engine/json/jsonLimits";
import { formatIssues, type ValidationIssue } from "../../engine/json/validationIssues";
import type { Result } from "../../engine/result";

/**
 * Parses what the user typed and validates it against the function's input schema.
 * The error is a message ready to show: the JSON syntax error, a broken depth or size limit, or zod's issues.
 */
export function parseFunctionInput(
  text: string,
  validate: (value: unknown) => Result<unknown, ValidationIssue[]>,
): Result<unknown, string> {
  const parsed = parseJsonWithLimits(text);
  if (!parsed.ok) {
    const { limit, message } = parsed.error;
    return { ok: false, error: limit === undefined ? `Not valid JSON: ${message}` : `Refused: ${message}` };
  }
  const value = parsed.value;
  const validated = validate(value);
  return validated.ok
    ? { ok: true, value }
    : { ok: false, error: `Does not match the input schema: ${formatIssues(validated.error)}` };
}
