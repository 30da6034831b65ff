import type { FunctionSpec } from "../functionSpec";
import { sha256, stableStringify } from "../hash";
import type { FunctionTask } from "../workflow/types";

export function taskOf(spec: FunctionSpec): FunctionTask {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: spec.inputSchema,
    outputSchema: spec.outputSchema,
  };
}

/** The cache key of a function: its task description with both JSON Schemas, so a change to either plans anew. */
export function inputIdOf(spec: FunctionSpec): string {
  return sha256(spec.description, stableStringify(spec.inputSchema), stableStringify(spec.outputSchema));
}
