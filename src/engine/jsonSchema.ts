import { z } from "zod";
import { fastJsonSchema } from "./jsonSchemaFastPath";

/** A JSON Schema document as produced by zod (draft 2020-12). */
export type JsonSchema = { [key: string]: JsonValue };
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The JSON Schema of a zod schema, in the form the planner and the workflow files use.
 * `io: "output"` describes parsed values (defaults filled in): what a tool's output looks like
 * to later steps; `"input"` describes what a caller may pass.
 */
export function toJsonSchema(schema: z.ZodType, io: "input" | "output" = "input"): JsonSchema {
  return fastJsonSchema(schema, io) ?? (z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema);
}

/** The JSON type name of a value, as JSON Schema spells it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
