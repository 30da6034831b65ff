import type { JsonSchema } from "../jsonSchema";
import { isPlainObject } from "../json/isPlainObject";
import { resolveLocalRef } from "../workflow/schemaAtPath";

/** Deeper structure is shown as `unknown`: prompts stay short and recursive schemas end. */
const MAX_DEPTH = 6;
/** Longer field descriptions are cut: they are hints, and every character is paid on every call. */
const MAX_DESCRIPTION_CHARS = 160;

/**
 * A field description as an inline block comment. It is closed before the field's `;`, so it
 * can never swallow the fields after it, whatever the line breaks (a `//` comment did once the
 * text was put on one line).
 */
function describe(description: unknown): string {
  if (typeof description !== "string") return "";
  const flat = description.replace(/\s+/g, " ").replace(/\*\//g, "* /").trim();
  if (flat === "") return "";
  const cut = flat.length > MAX_DESCRIPTION_CHARS ? `${flat.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : flat;
  return ` /* ${cut} */`;
}

function text(schema: JsonSchema, root: JsonSchema, depth: number): string {
  if (depth > MAX_DEPTH) return "unknown";
  if (typeof schema.$ref === "string") {
    const target = resolveLocalRef(root, schema.$ref);
    return target ? text(target, root, depth + 1) : "unknown";
  }
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches))
      return branches
        .filter(isPlainObject)
        .map((b) => text(b, root, depth + 1))
        .join(" | ");
  }
  if (Array.isArray(schema.allOf))
    return schema.allOf
      .filter(isPlainObject)
      .map((b) => text(b, root, depth + 1))
      .join(" & ");
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => text({ ...schema, type: t }, root, depth)).join(" | ");
  switch (type) {
    case "object":
      return objectText(schema, root, depth);
    case "array": {
      const items = schema.items;
      const inner = isPlainObject(items) ? text(items, root, depth + 1) : "unknown";
      return inner.includes(" ") && !inner.startsWith("{") ? `(${inner})[]` : `${inner}[]`;
    }
    case "string":
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return type;
    default:
      return isPlainObject(schema.properties) ? objectText(schema, root, depth) : "unknown";
  }
}

function objectText(schema: JsonSchema, root: JsonSchema, depth: number): string {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : []);
  const names = Object.keys(properties);
  if (names.length === 0) {
    const extra = schema.additionalProperties;
    return isPlainObject(extra) ? `Record<string, ${text(extra, root, depth + 1)}>` : "object";
  }
  const fields = names.map((name) => {
    const property = properties[name];
    const propertySchema = isPlainObject(property) ? property : {};
    const optional = required.has(name) ? "" : "?";
    return `${name}${optional}: ${text(propertySchema, root, depth + 1)}${describe(propertySchema.description)}`;
  });
  return `{${fields.join("; ")}}`;
}

/** A compact one-line TypeScript-like rendering of a JSON Schema: what prompts show the LLM. */
export function schemaToTypeText(schema: JsonSchema): string {
  return text(schema, schema, 0);
}
