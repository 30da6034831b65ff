// The `$schema` key an input file carries so the editor validates it against the function's input schema.
import type { JsonSchema } from "../../engine/jsonSchema";

/** The schema, allowing the `$schema` key that points the editor at it (object schemas often forbid extra keys). */
export function withSchemaKey(schema: JsonSchema): JsonSchema {
  const properties = schema.properties;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return schema;
  return { ...schema, properties: { $schema: { type: "string" }, ...properties } };
}

/** The input in a file's text: its JSON without the `$schema` key the editor validates with. */
export function withoutSchemaKey(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("$schema" in value)) return value;
  const { $schema: _schema, ...rest } = value as Record<string, unknown>;
  return rest;
}
