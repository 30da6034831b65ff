import { z } from "zod";
import type { JsonSchema, JsonValue } from "./jsonSchema";

/**
 * zod's JSON Schema conversion for the schemas most declarations are made of (objects, arrays,
 * optional and nullable values, and leaves: strings, numbers, booleans, enums, literals, with their
 * checks and descriptions), without zod's generator. `z.toJSONSchema` builds a context, walks a
 * map of every node twice and copies its result through JSON, about 50 µs a schema, most of it
 * fixed: a tool host loading 200 tools spent a third of its time there. Plain leaves are written
 * here; a leaf with checks (`.min(1)`, `.int()`, a format) is written by zod's own processor for
 * its type, which is all the generator would do with it. The output must be zod's to the byte
 * (tool ids hash it): jsonSchemaFastPath.test.ts compares the two on generated schemas, and the
 * version guard below keeps any other zod on zod's own path. Anything outside the subset (a check
 * on an array, metadata beyond a description, an id, a cycle) returns undefined, and the caller
 * converts the whole schema with zod.
 */
export function fastJsonSchema(schema: z.ZodType, io: Io): JsonSchema | undefined {
  const body = convert(schema, io, new Set(), 0);
  return body && { $schema: DRAFT_2020_12, ...body };
}

/** The zod this subset was checked against, output for output (see jsonSchemaFastPath.test.ts). */
export const VERIFIED_ZOD_VERSION = { major: 4, minor: 6, patch: 7 } as const;

type Io = "input" | "output";
type JsonObject = { [key: string]: JsonValue };
type Node = z.core.$ZodType;
type Internals = Node["_zod"];

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
/** Deeper schemas are rare; zod's own recursion handles them (or reports their depth). */
const MAX_DEPTH = 48;
const LEAF_TYPES = new Set(["string", "number", "boolean", "null", "any", "unknown", "enum", "literal"]);

function convert(node: Node, io: Io, ancestors: Set<Node>, depth: number): JsonObject | undefined {
  // A cycle goes to $defs in zod's output.
  if (depth > MAX_DEPTH || ancestors.has(node) || !isOursToWrite(node)) return undefined;
  const { def } = node._zod;
  const description = descriptionOnly(z.globalRegistry.get(node));
  if (description === false) return undefined;
  if (LEAF_TYPES.has(def.type)) {
    const leaf = hasChecks(node._zod) ? undefined : plainLeaf(def);
    return withDescription(leaf ?? leafByProcessor(node, io), description);
  }
  ancestors.add(node);
  try {
    return convertComposite(def, io, ancestors, depth + 1, description);
  } finally {
    ancestors.delete(node);
  }
}

function convertComposite(
  def: Internals["def"],
  io: Io,
  ancestors: Set<Node>,
  depth: number,
  description: string | undefined,
): JsonObject | undefined {
  const child = (node: Node) => convert(node, io, ancestors, depth);
  switch (def.type) {
    case "object":
      return withDescription(convertObject(def as z.core.$ZodObjectDef, io, child), description);
    case "array": {
      if ((def.checks?.length ?? 0) > 0) return undefined;
      const items = child((def as z.core.$ZodArrayDef).element);
      return items && withDescription({ type: "array", items }, description);
    }
    case "optional": {
      // zod's optional takes its inner schema's keywords after its own (its own win).
      const inner = child((def as z.core.$ZodOptionalDef).innerType);
      if (!inner) return undefined;
      const own: JsonObject = description === undefined ? {} : { description };
      for (const key of Object.keys(inner)) if (!Object.hasOwn(own, key)) own[key] = inner[key]!;
      return own;
    }
    case "nullable": {
      const inner = child((def as z.core.$ZodNullableDef).innerType);
      if (!inner) return undefined;
      const union: JsonObject = { anyOf: [inner, { type: "null" }] };
      if (description !== undefined) union.description = description;
      compactTypeUnion(union);
      return union;
    }
    default:
      return undefined;
  }
}

function convertObject(
  def: z.core.$ZodObjectDef,
  io: Io,
  child: (node: Node) => JsonObject | undefined,
): JsonObject | undefined {
  const strict = def.catchall?._zod.def.type === "never";
  if (def.catchall && !strict) return undefined;
  const { shape } = def;
  if (Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  const keys = Object.keys(shape);
  let enumerated = 0;
  for (const key in shape) if (keys[enumerated++] !== key) return undefined;
  if (enumerated !== keys.length || keys.includes("__proto__")) return undefined;
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const key of keys) {
    const field = shape[key]!;
    const converted = child(field);
    if (!converted) return undefined;
    properties[key] = converted;
    if ((io === "input" ? field._zod.optin : field._zod.optout) === undefined) required.push(key);
  }
  const json: JsonObject = { type: "object", properties };
  if (required.length > 0) json.required = required;
  if (strict || io === "output") json.additionalProperties = false;
  return json;
}

function plainLeaf(def: Internals["def"]): JsonObject | undefined {
  switch (def.type) {
    case "string":
    case "number":
    case "boolean":
    case "null":
      return { type: def.type };
    case "any":
    case "unknown":
      return {};
    case "enum": {
      const entries = Object.entries((def as z.core.$ZodEnumDef).entries);
      if (entries.length === 0 || !entries.every(([key, value]) => key === value)) return undefined;
      return { type: "string", enum: entries.map(([key]) => key) };
    }
    case "literal": {
      const { values } = def as z.core.$ZodLiteralDef<z.core.util.Literal>;
      const [value] = values;
      if (values.length !== 1 || !isPlainLiteral(value)) return undefined;
      return { type: value === null ? "null" : typeof value, const: value };
    }
    default:
      return undefined;
  }
}

/**
 * A leaf as zod's processor for its type writes it, given a context as toJSONSchema makes it (a
 * leaf's processor reads only the target and the `unrepresentable` setting). Undefined when the
 * keywords hold what zod's final copy through JSON would change (a non-finite number, -0).
 */
function leafByProcessor(node: Node, io: Io): JsonObject | undefined {
  const process = node._zod.processJSONSchema;
  if (!process) return undefined;
  const json: Record<string, unknown> = {};
  process(z.core.initializeContext({ io, unrepresentable: "any", processors: {} }), json, { path: [], schemaPath: [] });
  return survivesJson(json) ? (json as JsonObject) : undefined;
}

function survivesJson(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (Array.isArray(value)) return value.every(survivesJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(survivesJson);
}

function isPlainLiteral(value: unknown): value is string | boolean | number | null {
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  return value === null || typeof value === "string" || typeof value === "boolean";
}

/**
 * A schema of the zod version checked, with no custom conversion, and no id on it or on any schema
 * it was copied from: `.describe()`, `.meta()` and `.refine()` keep the original as `parent`, and
 * zod writes a copy of a schema with an id as a `$ref` to it.
 */
function isOursToWrite(node: Node): boolean {
  for (let at: Node | undefined = node; at; at = at._zod.parent) {
    const internals = (at as { _zod?: Internals })._zod;
    if (!internals || !isVerified(internals.version) || internals.toJSONSchema) return false;
    if (z.globalRegistry.get(at)?.id !== undefined) return false;
  }
  return true;
}

/** The description when it is the only metadata (undefined: none), false for anything richer. */
function descriptionOnly(meta: Record<PropertyKey, unknown> | undefined): string | undefined | false {
  if (meta === undefined) return undefined;
  const keys = Reflect.ownKeys(meta);
  if (keys.length === 0) return undefined;
  const { description } = meta;
  return keys.length === 1 && keys[0] === "description" && typeof description === "string" ? description : false;
}

function hasChecks(internals: Internals): boolean {
  return (
    (internals.def.checks?.length ?? 0) > 0 ||
    internals.traits.has("$ZodCheck") ||
    Reflect.ownKeys(internals.bag ?? {}).length > 0
  );
}

function withDescription(json: JsonObject | undefined, description: string | undefined): JsonObject | undefined {
  if (json && description !== undefined) json.description = description;
  return json;
}

function isVerified(version: Internals["version"] | undefined): boolean {
  return (
    version?.major === VERIFIED_ZOD_VERSION.major &&
    version.minor === VERIFIED_ZOD_VERSION.minor &&
    version.patch === VERIFIED_ZOD_VERSION.patch
  );
}

/** zod's last step: `anyOf` of bare types becomes one `type` list (a nullable string: ["string", "null"]). */
function compactTypeUnion(json: JsonObject): void {
  const options = json.anyOf;
  if (!Array.isArray(options) || options.length === 0 || json.type !== undefined) return;
  const types: string[] = [];
  for (const option of options) {
    if (!option || typeof option !== "object" || Array.isArray(option)) return;
    compactTypeUnion(option);
    const keys = Object.keys(option);
    if (keys.length !== 1 || keys[0] !== "type") return;
    const { type } = option;
    for (const member of Array.isArray(type) ? type : [type]) {
      if (typeof member !== "string") return;
      if (!types.includes(member)) types.push(member);
    }
  }
  delete json.anyOf;
  json.type = types.length === 1 ? types[0]! : types;
}
