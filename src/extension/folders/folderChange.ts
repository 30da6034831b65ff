import type * as vscode from "vscode";
import type { DiscoveryResult } from "../../workspace/workspaceTypes";

export type ChangeReason = "discovery" | "workflows" | "run" | "settings" | "removed" | "trust" | "failed";

/** What the views, diagnostics and CodeLenses are told about a folder. */
export interface FolderChange {
  folder: vscode.WorkspaceFolder;
  reason: ChangeReason;
  discovery?: DiscoveryResult;
}

/** Why a folder has no session: a setting the schema refuses, or declarations that would not load. */
export interface OpenFailure {
  cause: "settings" | "load";
  message: string;
}
