import type { JsonSchema } from "../../engine/jsonSchema";

/**
 * Schemas must describe objects. Whether one converts back to a validator is found on first use
 * (see schemaValidator), not by compiling every schema of the workspace up front.
 */
export function schemaProblem(what: string, input: JsonSchema, output: JsonSchema): string | undefined {
  for (const [side, schema] of [
    ["input", input],
    ["output", output],
  ] as const) {
    if (schema.type !== "object") {
      return `${what}: its ${side} schema must describe an object (z.object({...})), not ${JSON.stringify(schema.type ?? "any")}.`;
    }
  }
  return undefined;
}
