import { isPlainObject } from "../../engine/json/isPlainObject";
import type { JsonSchema, JsonValue } from "../../engine/jsonSchema";

type SchemaNode = { [key: string]: JsonValue };

/** Follows a local `#/$defs/...` (or `#/definitions/...`) reference; anything else is left unresolved. */
function resolveRef(root: SchemaNode, ref: string): SchemaNode | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return isPlainObject(node) ? node : undefined;
}

/** Example strings for common formats, so a skeleton passes its own `format` checks. */
const FORMAT_EXAMPLES: Record<string, string> = {
  email: "name@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  uuid: "00000000-0000-4000-8000-000000000000",
  "date-time": "2025-01-01T00:00:00Z",
  date: "2025-01-01",
  time: "00:00:00",
  ipv4: "127.0.0.1",
  ipv6: "::1",
};

/** The number nearest 0 that meets the bounds (and, for integers, is whole). */
function numberWithin(node: SchemaNode, integer: boolean): number {
  const step = integer ? 1 : typeof node.multipleOf === "number" ? node.multipleOf : 1;
  const min = typeof node.minimum === "number" ? node.minimum : undefined;
  const exclusiveMin = typeof node.exclusiveMinimum === "number" ? node.exclusiveMinimum : undefined;
  const max = typeof node.maximum === "number" ? node.maximum : undefined;
  const exclusiveMax = typeof node.exclusiveMaximum === "number" ? node.exclusiveMaximum : undefined;
  let value = 0;
  if (min !== undefined && value < min) value = min;
  if (exclusiveMin !== undefined && value <= exclusiveMin) value = exclusiveMin + step;
  if (max !== undefined && value > max) value = max;
  if (exclusiveMax !== undefined && value >= exclusiveMax) value = exclusiveMax - step;
  if (integer) value = value >= 0 ? Math.ceil(value) : Math.floor(value);
  if (typeof node.multipleOf === "number" && node.multipleOf > 0)
    value = Math.ceil(value / node.multipleOf) * node.multipleOf;
  return value;
}

function stringWithin(node: SchemaNode): string {
  if (typeof node.format === "string" && FORMAT_EXAMPLES[node.format]) return FORMAT_EXAMPLES[node.format] ?? "";
  const minLength = typeof node.minLength === "number" ? node.minLength : 0;
  return "x".repeat(Math.min(minLength, 64));
}

function placeholderForType(type: string, node: SchemaNode): JsonValue {
  switch (type) {
    case "string":
      return stringWithin(node);
    case "number":
      return numberWithin(node, false);
    case "integer":
      return numberWithin(node, true);
    case "boolean":
      return false;
    case "array":
      return [];
    case "object":
      return {};
    default:
      return null;
  }
}

function firstNonNullVariant(variants: JsonValue | undefined): SchemaNode | undefined {
  if (!Array.isArray(variants)) return undefined;
  const nodes = variants.filter(isPlainObject);
  return nodes.find((variant) => variant.type !== "null") ?? nodes[0];
}

/**
 * A JSON value shaped like the schema, for the user to edit: defaults, constants and
 * examples when the schema has them, otherwise the emptiest value of the right type that
 * meets the schema's bounds and formats (`1` for a positive integer), so the skeleton passes
 * its own schema. Every declared property is listed so the user sees what the function accepts.
 */
export function skeletonFromSchema(schema: JsonSchema): JsonValue {
  return skeletonOf(schema, schema, 0);
}

function skeletonOf(node: SchemaNode, root: SchemaNode, depth: number): JsonValue {
  // Recursive schemas ($ref cycles) stop at a fixed depth rather than looping.
  if (depth > 12) return null;
  if (node.default !== undefined) return node.default;
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0] ?? null;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0] ?? null;
  if (typeof node.$ref === "string") {
    const target = resolveRef(root, node.$ref);
    return target ? skeletonOf(target, root, depth + 1) : null;
  }
  const variant = firstNonNullVariant(node.anyOf) ?? firstNonNullVariant(node.oneOf);
  if (variant) return skeletonOf(variant, root, depth + 1);
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.filter(isPlainObject).map((part) => skeletonOf(part, root, depth + 1));
    if (parts.every(isPlainObject)) return Object.assign({}, ...parts) as JsonValue;
    return parts[0] ?? null;
  }
  const type = Array.isArray(node.type)
    ? (node.type.find((t) => t !== "null") ?? node.type[0])
    : (node.type ?? (isPlainObject(node.properties) ? "object" : undefined));
  if (type === "object") {
    const properties = isPlainObject(node.properties) ? node.properties : {};
    const result: SchemaNode = {};
    for (const [key, property] of Object.entries(properties)) {
      if (isPlainObject(property)) result[key] = skeletonOf(property, root, depth + 1);
    }
    return result;
  }
  if (type === "array") {
    const minItems = typeof node.minItems === "number" ? node.minItems : 0;
    if (minItems > 0 && isPlainObject(node.items)) {
      const item = skeletonOf(node.items, root, depth + 1);
      return Array.from({ length: Math.min(minItems, 5) }, () => item);
    }
    return [];
  }
  return typeof type === "string" ? placeholderForType(type, node) : null;
}
