import type * as vscode from "vscode";
import type { FolderRuntimes } from "../folderRuntimes";
import type { InputFiles } from "../input/inputFiles";
import type { LastInputs } from "../input/lastInputs";
import type { InspectorPanels } from "../inspector/inspectorPanel";
import type { ResultDocuments } from "../results/resultDocuments";
import type { EndpointStatus } from "../statusBar";
import type { VerifyResults } from "../verify/verifyResults";

/** What every command handler works with. */
export interface CommandContext {
  runtimes: FolderRuntimes;
  log: vscode.LogOutputChannel;
  inspectors: InspectorPanels;
  endpoint: EndpointStatus;
  extensionUri: vscode.Uri;
  results: ResultDocuments;
  verifyResults: VerifyResults;
  lastInputs: LastInputs;
  inputFiles: InputFiles;
}
