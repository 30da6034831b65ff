import { LlmFunctionError, workflowError } from "./errors";
import type { Tool } from "./tools/tool";

/** The resolved toolset of a runtime: looked up by name when planning, by id when running. */
export class ToolRegistry {
  private readonly tools: readonly Tool[];
  private readonly names = new Map<string, Tool>();
  private readonly ids = new Map<string, Tool>();

  constructor(tools: readonly Tool[]) {
    for (const tool of tools) {
      if (this.names.has(tool.name)) {
        throw new LlmFunctionError(
          workflowError("CONFIG", "config", `Two tools are named "${tool.name}": tool names must be unique.`),
        );
      }
      this.names.set(tool.name, tool);
      this.ids.set(tool.id, tool);
    }
    this.tools = [...tools];
  }

  list(): readonly Tool[] {
    return this.tools;
  }

  byName(name: string): Tool | undefined {
    return this.names.get(name);
  }

  byId(id: string): Tool | undefined {
    return this.ids.get(id);
  }
}

/** Somewhere tools come from; a runtime loads each source once. */
export interface ToolSource {
  readonly description: string;
  load(signal?: AbortSignal): Promise<readonly Tool[]>;
}

export function inMemoryToolSource(tools: readonly Tool[]): ToolSource {
  return { description: `${tools.length} in-memory tools`, load: async () => tools };
}
