import type { HostedToolAddress } from "../toolHost/hostedTool";
import type { LoadItem } from "../toolHost/protocol";
import type { DeclarationDiagnostic, DiscoveredFunction, DiscoveredTool } from "../workspaceTypes";
import type { BundleSourceMap } from "./declarationBundler";

/** What discovery knows of one declaration file between runs. */
export interface FileState {
  file: string;
  /** Source inputs with their size and mtime when bundled. */
  inputs: Map<string, string>;
  bundle?: LoadItem;
  sourceMap?: BundleSourceMap;
  bundleDiagnostics: DeclarationDiagnostic[];
  loadDiagnostics: DeclarationDiagnostic[];
  tools: (DiscoveredTool & HostedToolAddress)[];
  functions: DiscoveredFunction[];
}
