import type { DiscoveredTool } from "../workspaceTypes";
import type { Tool } from "../../engine/tools/tool";
import { schemaValidator } from "../schemaValidator";
import type { ToolHostClient } from "./toolHostClient";

/** Where a discovered tool lives in the host: its declaration file and export. */
export interface HostedToolAddress {
  file: string;
  exportName: string;
}

/**
 * The parent's view of a tool that runs in the tool host: schemas are checked here (from the
 * JSON Schemas the host reported), the handler runs there.
 */
export function hostedTool(
  discovered: DiscoveredTool,
  address: HostedToolAddress,
  host: ToolHostClient,
  timeoutMs: number,
): Tool {
  const validateInput = schemaValidator(discovered.inputSchema);
  const validateOutput = schemaValidator(discovered.outputSchema);
  return {
    id: discovered.id,
    name: discovered.name,
    description: discovered.description,
    inputSchema: discovered.inputSchema,
    outputSchema: discovered.outputSchema,
    tags: discovered.tags,
    metadata: discovered.metadata,
    ...(discovered.code ? { code: discovered.code } : {}),
    validateInput,
    validateOutput,
    invoke: (input, context) =>
      host.call(address.file, address.exportName, discovered.name, input, {
        timeoutMs,
        ...(context.signal ? { signal: context.signal } : {}),
      }),
  };
}
