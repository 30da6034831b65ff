import { z } from "zod";
import type { JsonSchema } from "../engine/jsonSchema";
import { err, type Result } from "../engine/result";
import { validateWith, type ValidationIssue } from "../engine/tools/tool";

export type Validator = (value: unknown) => Result<unknown, ValidationIssue[]>;

/** Compiles a JSON Schema reported by the tool host into a zod validator; throws when it cannot. */
export function compileSchema(schema: JsonSchema): z.ZodType {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}

/** A validator compiled on first use (discovery already checked that the schema compiles). */
export function schemaValidator(schema: JsonSchema): Validator {
  let compiled: z.ZodType | undefined;
  return (value) => {
    try {
      compiled ??= compileSchema(schema);
    } catch (error) {
      return err([{ path: [], message: `The schema cannot be used: ${(error as Error).message}` }]);
    }
    return validateWith(compiled, value);
  };
}
