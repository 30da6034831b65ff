import type { JsonSchema } from "../../jsonSchema";
import { isPlainObject } from "../../json/isPlainObject";
import { resolveLocalRef } from "../../workflow/schemaAtPath";
import { fieldKey } from "./terms";

/** One field of a schema, at any depth: its name, JSON type and description. */
export interface SchemaField {
  name: string;
  key: string;
  type: string;
  description: string;
  required: boolean;
}

const MAX_DEPTH = 4;

function typeOf(schema: JsonSchema): string {
  const type = schema.type;
  if (typeof type === "string") return type === "integer" ? "number" : type;
  if (Array.isArray(type)) return String(type.find((t) => t !== "null") ?? "unknown");
  if (isPlainObject(schema.properties)) return "object";
  return "unknown";
}

/** Every named field of a schema (nested objects and array items included), for matching and ranking. */
export function schemaFields(
  schema: JsonSchema,
  root: JsonSchema = schema,
  depth = 0,
  parentRequired = true,
): SchemaField[] {
  if (depth > MAX_DEPTH) return [];
  const resolved = typeof schema.$ref === "string" ? resolveLocalRef(root, schema.$ref) : schema;
  if (!resolved) return [];
  if (resolved.type === "array" && isPlainObject(resolved.items))
    return schemaFields(resolved.items, root, depth + 1, parentRequired);
  const properties = isPlainObject(resolved.properties) ? resolved.properties : {};
  const required = new Set(Array.isArray(resolved.required) ? resolved.required : []);
  const fields: SchemaField[] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (!isPlainObject(value)) continue;
    const field = value as JsonSchema;
    fields.push({
      name,
      key: fieldKey(name),
      type: typeOf(field),
      description: typeof field.description === "string" ? field.description : "",
      required: parentRequired && required.has(name),
    });
    fields.push(...schemaFields(field, root, depth + 1, parentRequired && required.has(name)));
  }
  return fields;
}

/** True when a value of type `from` can feed a field of type `to` (unknown matches anything). */
export function typesMeet(from: string, to: string): boolean {
  return from === to || from === "unknown" || to === "unknown";
}
