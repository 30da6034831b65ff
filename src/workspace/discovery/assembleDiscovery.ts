import { relative, sep } from "node:path";
import type { HostedToolAddress } from "../toolHost/hostedTool";
import type {
  DeclarationDiagnostic,
  DiscoveredFunction,
  DiscoveredTool,
  DiscoveryResult,
  SourceLocation,
} from "../workspaceTypes";
import type { FileState } from "./fileState";

/**
 * Merges per-file states into one result. Names must be unique across the workspace: the
 * first declaration (in file order) is kept and every clash is reported at each place.
 * The same tool re-exported from another file (same contract and handler) is not a clash.
 */
export function assembleDiscovery(
  states: readonly FileState[],
  files: string[],
  folder: string,
): { result: DiscoveryResult; addresses: Map<string, HostedToolAddress> } {
  const diagnostics: DeclarationDiagnostic[] = states.flatMap((s) => [...s.bundleDiagnostics, ...s.loadDiagnostics]);
  const tools: DiscoveredTool[] = [];
  const addresses = new Map<string, HostedToolAddress>();
  const toolPlaces = new Map<string, { id: string; location: SourceLocation }[]>();
  for (const state of states) {
    for (const { file, handlerHash, ...tool } of state.tools) {
      const places = toolPlaces.get(tool.name) ?? [];
      // The same contract and handler: one tool exported from two files.
      const identity = `${tool.id}:${handlerHash}`;
      if (places.some((p) => p.id === identity)) continue;
      places.push({ id: identity, location: tool.location });
      toolPlaces.set(tool.name, places);
      if (places.length === 1) {
        tools.push(tool);
        addresses.set(tool.name, { file, exportName: tool.exportName });
      }
    }
  }
  diagnostics.push(...clashes("tool", toolPlaces, folder));

  const functions: DiscoveredFunction[] = [];
  const functionPlaces = new Map<string, { id: string; location: SourceLocation }[]>();
  for (const state of states) {
    for (const fn of state.functions) {
      const identity = JSON.stringify([fn.description, fn.inputSchema, fn.outputSchema]);
      const places = functionPlaces.get(fn.name) ?? [];
      if (places.some((p) => p.id === identity)) continue;
      places.push({ id: identity, location: fn.location });
      functionPlaces.set(fn.name, places);
      if (places.length === 1) functions.push(fn);
    }
  }
  diagnostics.push(...clashes("LLM function", functionPlaces, folder));

  return { result: { tools, functions, diagnostics, files }, addresses };
}

function clashes(
  what: string,
  places: Map<string, { location: SourceLocation }[]>,
  folder: string,
): DeclarationDiagnostic[] {
  const describe = (location: SourceLocation) =>
    `${relative(folder, location.file).split(sep).join("/")}:${location.line}:${location.column}`;
  const found: DeclarationDiagnostic[] = [];
  for (const [name, all] of places) {
    if (all.length < 2) continue;
    const [kept] = all;
    all.forEach((place, index) => {
      const others = all.filter((_, i) => i !== index).map((p) => p.location);
      found.push({
        severity: "error",
        message:
          `Duplicate ${what} name "${name}": also declared at ${others.map(describe).join(", ")}. Names must be unique in a workspace; ` +
          (index === 0 ? "this declaration is used." : `only the one at ${describe(kept!.location)} is used.`),
        location: place.location,
        related: others,
      });
    });
  }
  return found;
}
