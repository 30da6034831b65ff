import { workflowError, type WorkflowError } from "../errors";
import { FORBIDDEN_KEYS } from "../json/forbiddenKeys";
import { isPlainObject } from "../json/isPlainObject";
import type { JsonValue } from "../jsonSchema";
import { err, ok, type Result } from "../result";
import type { ToolRegistry } from "../toolRegistry";
import { OUTPUT_STEP, type PlannedStep } from "../workflow/types";

const MAX_STEPS = 50;
function stepList(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  if (isPlainObject(data)) {
    for (const key of ["steps", "workflow", "plan"]) {
      const value = data[key];
      if (Array.isArray(value)) return value;
    }
  }
  return undefined;
}

/** Copies args into a fresh record, refusing keys that could touch a prototype. */
export function safeArgs(value: unknown): Result<Record<string, JsonValue>, string> {
  if (!isPlainObject(value)) return err("args must be a JSON object");
  const args: Record<string, JsonValue> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return err(`argument name "${key}" is not allowed`);
    Object.defineProperty(args, key, {
      value: value[key] as JsonValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ok(args);
}

/**
 * Checks a planner answer before any use: a JSON list of {name, args}, only known tools, ending
 * in a non-empty `output_model` step. Each failure's kind (PLANNING_*) picks the assembler's next move.
 * A real catalog tool the planner was not shown is accepted.
 */
export function parsePlan(
  data: unknown,
  tools: ToolRegistry,
  shownNames?: readonly string[],
): Result<PlannedStep[], WorkflowError> {
  const list = stepList(data);
  if (!list)
    return err(
      workflowError("PLANNING_JSON", "plan", 'The plan must be a JSON object {"steps": [...]} listing steps.'),
    );
  if (list.length === 0) return err(workflowError("PLANNING_JSON", "plan", "The plan has no steps."));
  if (list.length > MAX_STEPS)
    return err(
      workflowError("PLANNING_JSON", "plan", `The plan has ${list.length} steps; at most ${MAX_STEPS} are allowed.`),
    );
  const steps: PlannedStep[] = [];
  for (const [index, item] of list.entries()) {
    if (!isPlainObject(item) || typeof item.name !== "string") {
      return err(
        workflowError("PLANNING_JSON", "plan", `Step ${index + 1} must be an object {"name": string, "args": object}.`),
      );
    }
    const args = safeArgs(item.args ?? {});
    if (!args.ok)
      return err(workflowError("PLANNING_JSON", "plan", `Step ${index + 1} (${item.name}): ${args.error}.`));
    steps.push({ name: item.name, args: args.value });
  }
  const unknown = [...new Set(steps.map((s) => s.name).filter((name) => name !== OUTPUT_STEP && !tools.byName(name)))];
  if (unknown.length > 0) {
    // The tools the planner was shown: a large catalog is not listed in full in the feedback.
    const available = shownNames ? [...shownNames] : tools.list().map((t) => t.name);
    return err(
      workflowError(
        "PLANNING_HF",
        "plan",
        `Unknown tool${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; available tools: ${available.join(", ")}.`,
        {
          unknown,
          available,
        },
      ),
    );
  }
  const outputIndex = steps.findIndex((s) => s.name === OUTPUT_STEP);
  if (outputIndex === -1)
    return err(workflowError("PLANNING_MISSOUTPUT", "plan", `The plan has no final "${OUTPUT_STEP}" step.`));
  const output = steps[outputIndex];
  if (!output || Object.keys(output.args).length === 0) {
    return err(
      workflowError("PLANNING_OUTPUT_MODEL", "plan", `The "${OUTPUT_STEP}" step has no args: map every output field.`),
    );
  }
  // Anything planned after the output step can never affect the result.
  return ok(steps.slice(0, outputIndex + 1));
}
