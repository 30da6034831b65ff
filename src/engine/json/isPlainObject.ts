import type { JsonValue } from "../jsonSchema";

/**
 * Plain data objects only (also from another realm, or made with a null prototype): never
 * arrays, class instances or functions. JSON.parse and zod build nothing else.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown>;
// Last, so that `filter(isPlainObject)` on JSON values keeps their type.
export function isPlainObject(value: JsonValue | undefined): value is { [key: string]: JsonValue };
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}
