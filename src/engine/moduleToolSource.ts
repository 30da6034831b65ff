import { pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { isDefinedTool, type Tool } from "./tools/tool";
import type { ToolSource } from "./toolRegistry";

/**
 * Every `tool()` export of a module, loaded in this process. For library users' own code; the
 * extension and the CLI never load workspace code in their own process (see the tool host).
 */
export function moduleToolSource(specifier: string): ToolSource {
  const target =
    isAbsolute(specifier) || specifier.startsWith(".") ? pathToFileURL(resolve(specifier)).href : specifier;
  return {
    description: `tools exported by ${specifier}`,
    load: async () => {
      const loaded = (await import(target)) as Record<string, unknown>;
      return Object.values(loaded).filter((value): value is Tool => isDefinedTool(value));
    },
  };
}
