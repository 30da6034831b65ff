import type { JsonSchema } from "../jsonSchema";
import { isPlainObject } from "../json/isPlainObject";
import { resolveLocalRef } from "../workflow/schemaAtPath";

/** Deeper structure is shown as `unknown`: prompts stay short and recursive schemas end. */
const MAX_DEPTH = 6;

function text(schema: JsonSchema, root: JsonSchema, depth: number, indent: string): string {
  if (depth > MAX_DEPTH) return "unknown";
  if (typeof schema.$ref === "string") {
    const target = resolveLocalRef(root, schema.$ref);
    return target ? text(target, root, depth + 1, indent) : "unknown";
  }
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) return branches.filter(isPlainObject).map((b) => text(b, root, depth + 1, indent)).join(" | ");
  }
  if (Array.isArray(schema.allOf)) return schema.allOf.filter(isPlainObject).map((b) => text(b, root, depth + 1, indent)).join(" & ");
  const type = schema.type;
  if (Array.isArray(type)) return type.map((t) => text({ ...schema, type: t }, root, depth, indent)).join(" | ");
  switch (type) {
    case "object":
      return objectText(schema, root, depth, indent);
    case "array": {
      const items = schema.items;
      const inner = isPlainObject(items) ? text(items, root, depth + 1, indent) : "unknown";
      return inner.includes(" ") && !inner.startsWith("{") ? `(${inner})[]` : `${inner}[]`;
    }
    case "string":
    case "number":
    case "integer":
    case "boolean":
    case "null":
      return type;
    default:
      return isPlainObject(schema.properties) ? objectText(schema, root, depth, indent) : "unknown";
  }
}

function objectText(schema: JsonSchema, root: JsonSchema, depth: number, indent: string): string {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : []);
  const names = Object.keys(properties);
  if (names.length === 0) {
    const extra = schema.additionalProperties;
    return isPlainObject(extra) ? `Record<string, ${text(extra, root, depth + 1, indent)}>` : "object";
  }
  const inner = `${indent}  `;
  const lines = names.map((name) => {
    const property = properties[name];
    const propertySchema = isPlainObject(property) ? property : {};
    const description = typeof propertySchema.description === "string" ? ` // ${propertySchema.description}` : "";
    const optional = required.has(name) ? "" : "?";
    return `${inner}${name}${optional}: ${text(propertySchema, root, depth + 1, inner)};${description}`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** A compact TypeScript-like rendering of a JSON Schema: what prompts show the LLM. */
export function schemaToTypeText(schema: JsonSchema): string {
  return text(schema, schema, 0, "");
}
