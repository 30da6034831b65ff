import { isPlainObject } from "../json/isPlainObject";
import { jsonTypeOf, type JsonSchema, type JsonValue } from "../jsonSchema";
import type { PathSegment } from "./references";

/**
 * Reading JSON Schemas as zod 4's `z.toJSONSchema` writes them: which schema describes the
 * value at a path, which JSON types it allows, which fields an object has and requires.
 * `root` is the document local `$ref`s (`#/$defs/...`, `#/definitions/...`) resolve against.
 */

/** Bounds recursion through `$ref` cycles and deeply nested combinators. */
const MAX_DEPTH = 64;

export type JsonTypes = Set<string> | "any";

function ownValue(object: JsonSchema, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function schemaList(schema: JsonSchema, key: "anyOf" | "oneOf" | "allOf" | "prefixItems"): JsonSchema[] {
  const list = ownValue(schema, key);
  return Array.isArray(list) ? list.filter(isPlainObject) : [];
}

/** Resolves a local JSON pointer such as `#/$defs/Item`. */
export function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: JsonValue | undefined = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodePointerSegment(raw);
    if (key === undefined) return undefined;
    if (Array.isArray(node)) node = /^\d+$/.test(key) ? node[Number(key)] : undefined;
    else if (isPlainObject(node)) node = ownValue(node, key);
    else return undefined;
  }
  return isPlainObject(node) ? node : undefined;
}

function decodePointerSegment(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
  } catch {
    return undefined; // malformed %-escape: the pointer leads nowhere
  }
}

/** Follows `$ref` until a schema without one (annotations beside a `$ref` are dropped). */
export function dereference(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (let hops = 0; node !== undefined && hops < MAX_DEPTH; hops++) {
    const ref = ownValue(node, "$ref");
    if (typeof ref !== "string") return node;
    node = resolveLocalRef(root, ref);
  }
  return undefined;
}

const STRUCTURAL_KEYWORDS = [
  "type",
  "const",
  "enum",
  "properties",
  "additionalProperties",
  "items",
  "prefixItems",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "$ref",
] as const;

/** A schema that says nothing about the value (`{}`, or annotations only): anything goes. */
export function isUnconstrained(schema: JsonSchema): boolean {
  return STRUCTURAL_KEYWORDS.every((key) => !Object.hasOwn(schema, key));
}

export function schemaAtPath(root: JsonSchema, path: readonly PathSegment[]): JsonSchema | undefined {
  return walk(root, path, 0, root, 0);
}

function walk(
  schema: JsonSchema,
  path: readonly PathSegment[],
  index: number,
  root: JsonSchema,
  depth: number,
): JsonSchema | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = dereference(schema, root);
  if (node === undefined) return undefined;
  if (index === path.length) return node;
  const segment = path[index];
  if (typeof segment === "string") {
    const properties = ownValue(node, "properties");
    const property = isPlainObject(properties) ? ownValue(properties, segment) : undefined;
    if (isPlainObject(property)) return walk(property, path, index + 1, root, depth + 1);
    const additional = ownValue(node, "additionalProperties");
    if (isPlainObject(additional)) return walk(additional, path, index + 1, root, depth + 1);
  } else {
    const prefixItems = schemaList(node, "prefixItems");
    if (segment < prefixItems.length) return walk(prefixItems[segment], path, index + 1, root, depth + 1);
    const items = ownValue(node, "items");
    if (isPlainObject(items)) return walk(items, path, index + 1, root, depth + 1);
  }
  // Unions (nullable ones included) and intersections: the first branch that has the path.
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    for (const branch of schemaList(node, key)) {
      const found = walk(branch, path, index, root, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return isUnconstrained(node) ? {} : undefined;
}

export function jsonTypesOf(schema: JsonSchema, root: JsonSchema = schema): JsonTypes {
  return typesOf(schema, root, 0);
}

function typesOf(schema: JsonSchema, root: JsonSchema, depth: number): JsonTypes {
  if (depth > MAX_DEPTH) return "any";
  const node = dereference(schema, root);
  if (node === undefined) return "any";
  const type = ownValue(node, "type");
  if (typeof type === "string") return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === "string"));
  if (Object.hasOwn(node, "const")) return new Set([jsonTypeOf(node.const)]);
  const values = ownValue(node, "enum");
  if (Array.isArray(values)) return new Set(values.map(jsonTypeOf));
  const union = [...schemaList(node, "anyOf"), ...schemaList(node, "oneOf")];
  if (union.length > 0) {
    const types = new Set<string>();
    for (const branch of union) {
      const branchTypes = typesOf(branch, root, depth + 1);
      if (branchTypes === "any") return "any";
      for (const t of branchTypes) types.add(t);
    }
    return types;
  }
  // An intersection allows only what every constrained branch allows.
  const constrained = schemaList(node, "allOf")
    .map((branch) => typesOf(branch, root, depth + 1))
    .filter((branchTypes): branchTypes is Set<string> => branchTypes !== "any");
  if (constrained.length > 0) {
    return constrained.reduce(intersectTypes);
  }
  if (["properties", "additionalProperties", "required"].some((key) => Object.hasOwn(node, key)))
    return new Set(["object"]);
  if (Object.hasOwn(node, "items") || Object.hasOwn(node, "prefixItems")) return new Set(["array"]);
  return "any";
}

/** Types allowed by both sets; an integer is the common part of number and integer. */
function intersectTypes(a: Set<string>, b: Set<string>): Set<string> {
  const common = new Set<string>();
  for (const t of a) {
    if (b.has(t)) common.add(t);
    else if (t === "number" && b.has("integer")) common.add("integer");
    else if (t === "integer" && b.has("number")) common.add("integer");
  }
  return common;
}

/** Whether a value of JSON type `type` fits `target`; an integer fits where a number is expected. */
export function acceptsType(target: JsonTypes, type: string): boolean {
  if (target === "any") return true;
  return target.has(type) || (type === "integer" && target.has("number"));
}

/**
 * Whether values of `source` types fit `target`. `null` in the source is tolerated when the
 * source also allows something else: a nullable value is wired on the chance it is present,
 * and the tool's own validation catches a null at run time.
 */
export function typesCompatible(source: JsonTypes, target: JsonTypes): boolean {
  if (source === "any" || target === "any") return true;
  const nonNull = [...source].filter((t) => t !== "null");
  const required = nonNull.length > 0 ? nonNull : [...source];
  return required.every((t) => acceptsType(target, t));
}

export function formatTypes(types: JsonTypes): string {
  return types === "any" ? "any" : [...types].join(" | ");
}

/** The object view of a schema: fields, required fields and what it says of other fields. */
export interface ObjectShape {
  properties: Record<string, JsonSchema>;
  required: string[];
  /** `false` forbids other fields, a schema describes them (records), undefined allows them. */
  additionalProperties: JsonSchema | false | undefined;
}

export function objectShape(schema: JsonSchema, root: JsonSchema = schema): ObjectShape {
  return shapeOf(schema, root, 0);
}

function shapeOf(schema: JsonSchema, root: JsonSchema, depth: number): ObjectShape {
  const shape: ObjectShape = { properties: {}, required: [], additionalProperties: undefined };
  const node = depth > MAX_DEPTH ? undefined : dereference(schema, root);
  if (node === undefined) return shape;
  const properties = ownValue(node, "properties");
  if (isPlainObject(properties)) {
    for (const [name, property] of Object.entries(properties))
      if (isPlainObject(property)) shape.properties[name] = property;
  }
  const required = ownValue(node, "required");
  if (Array.isArray(required)) shape.required.push(...required.filter((r): r is string => typeof r === "string"));
  const additional = ownValue(node, "additionalProperties");
  if (additional === false || isPlainObject(additional)) shape.additionalProperties = additional;
  for (const branch of schemaList(node, "allOf")) mergeInto(shape, shapeOf(branch, root, depth + 1), "all");
  // A union of objects: any branch's fields may appear, only fields every branch requires are required.
  const objectBranches = [...schemaList(node, "anyOf"), ...schemaList(node, "oneOf")]
    .map((branch) => shapeOf(branch, root, depth + 1))
    .filter((branch) => Object.keys(branch.properties).length > 0 || branch.additionalProperties !== undefined);
  if (objectBranches.length > 0) {
    const [first, ...others] = objectBranches.map((branch) => branch.required);
    const common = first.filter((name) => others.every((required) => required.includes(name)));
    for (const branch of objectBranches) mergeInto(shape, { ...branch, required: [...common] }, "any");
  }
  shape.required = [...new Set(shape.required)];
  return shape;
}

function mergeInto(target: ObjectShape, source: ObjectShape, mode: "all" | "any"): void {
  for (const [name, property] of Object.entries(source.properties)) {
    if (!Object.hasOwn(target.properties, name)) target.properties[name] = property;
  }
  target.required.push(...source.required);
  if (source.additionalProperties === undefined) return;
  if ((mode === "all" && source.additionalProperties === false) || target.additionalProperties === undefined) {
    target.additionalProperties = source.additionalProperties;
  }
}
