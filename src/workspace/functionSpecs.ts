import type { FunctionSpec } from "../engine/functionSpec";
import { stableStringify } from "../engine/hash";
import { schemaValidator } from "./schemaValidator";
import type { DiscoveredFunction } from "./workspaceTypes";

/**
 * FunctionSpecs for discovered functions, reused while a function's contract is unchanged
 * (the runtime keys per-spec caches by object identity).
 */
export class FunctionSpecCache {
  private readonly specs = new Map<string, { key: string; spec: FunctionSpec }>();

  specFor(fn: DiscoveredFunction): FunctionSpec {
    const key = stableStringify([
      fn.description,
      fn.inputSchema,
      fn.outputSchema,
      fn.tests,
      fn.compare ?? null,
      fn.expectInfeasible === true,
    ]);
    const cached = this.specs.get(fn.name);
    if (cached?.key === key) return cached.spec;
    const spec: FunctionSpec = {
      name: fn.name,
      description: fn.description,
      inputSchema: fn.inputSchema,
      outputSchema: fn.outputSchema,
      validateInput: schemaValidator(fn.inputSchema),
      validateOutput: schemaValidator(fn.outputSchema),
      tests: fn.tests,
      ...(fn.compare ? { compare: fn.compare } : {}),
      ...(fn.expectInfeasible ? { expectInfeasible: true } : {}),
    };
    this.specs.set(fn.name, { key, spec });
    return spec;
  }

  retain(names: ReadonlySet<string>): void {
    for (const name of [...this.specs.keys()]) if (!names.has(name)) this.specs.delete(name);
  }
}
