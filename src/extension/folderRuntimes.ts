import * as vscode from "vscode";
import type { WorkspaceSession } from "../workspace/workspaceSession";
import { readSettings, SECTION } from "./configuration";
import type { ChangeReason, FolderChange, OpenFailure } from "./folders/folderChange";
import { FolderSession } from "./folders/folderSession";
import { settingsProblem, showSettingsProblem } from "./folders/settingsProblem";
import { RunHistories, type RunHistory, type RunStore } from "./runHistory";

/**
 * The workspace's folders and what each one has: one FolderSession per folder, opened on first
 * use (never during activation) and disposed with its folder, its run history, and why it could
 * not be opened. Settings changes go to each folder's session; in an untrusted workspace no
 * session is ever opened.
 */
export class FolderRuntimes implements vscode.Disposable {
  private readonly sessions = new Map<string, FolderSession>();
  private readonly histories: RunHistories;
  /** Folders whose session failed to open: none is opened again until refresh() or a settings change. */
  private readonly openErrors = new Map<string, OpenFailure>();
  private readonly changed = new vscode.EventEmitter<FolderChange>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  /** `state`: the workspace state run histories are kept in across reloads. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    state?: RunStore,
  ) {
    this.histories = new RunHistories(state);
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) {
          if (this.sessions.has(folder.uri.toString()))
            this.log.info(`${folder.name}: removed from the workspace, its runtime is closed.`);
          this.close(folder);
          this.histories.forget(folder.uri.toString());
          this.openErrors.delete(folder.uri.toString());
          this.changed.fire({ folder, reason: "removed" });
        }
        for (const folder of event.added) this.changed.fire({ folder, reason: "discovery" });
      }),
      vscode.workspace.onDidChangeConfiguration((event) => this.onConfigurationChanged(event)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.log.info("Workspace trusted: loading declarations.");
        for (const folder of this.folders()) this.changed.fire({ folder, reason: "trust" });
      }),
    );
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** Folders that can have a runtime: local folders of a trusted workspace. */
  folders(): readonly vscode.WorkspaceFolder[] {
    if (!this.trusted) return [];
    return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === "file");
  }

  folderFor(uri: string | vscode.Uri): vscode.WorkspaceFolder | undefined {
    const parsed = typeof uri === "string" ? vscode.Uri.parse(uri) : uri;
    const folder = vscode.workspace.getWorkspaceFolder(parsed);
    return folder && this.folders().includes(folder) ? folder : undefined;
  }

  history(folder: vscode.WorkspaceFolder): RunHistory {
    return this.histories.of(folder.uri.toString());
  }

  /** Why the folder's session could not be opened, if it could not. */
  openError(folder: vscode.WorkspaceFolder): OpenFailure | undefined {
    return this.openErrors.get(folder.uri.toString());
  }

  /** The folder's session if it is already open; never starts one. */
  peek(folder: vscode.WorkspaceFolder): WorkspaceSession | undefined {
    return this.sessions.get(folder.uri.toString())?.ready;
  }

  /**
   * The folder's session, opening it (and discovering its declarations) on first use. A folder
   * no longer in the workspace gets none: a late caller (an inspector, a CodeLens, a command
   * holding the folder) must not revive the runtime that was disposed with it, and a folder that
   * failed to open is not retried by every view refresh (only by refresh() or a settings change).
   */
  session(folder: vscode.WorkspaceFolder): Promise<WorkspaceSession | undefined> {
    const key = folder.uri.toString();
    if (!this.folders().some((open) => open.uri.toString() === key)) return Promise.resolve(undefined);
    if (this.openErrors.has(key)) return Promise.resolve(undefined);
    const existing = this.sessions.get(key);
    if (existing) return existing.session;
    const entry: FolderSession = new FolderSession(folder, readSettings(folder.uri), this.log, {
      opened: (discovery) => {
        this.openErrors.delete(key);
        this.changed.fire({ folder, reason: "discovery", discovery });
      },
      discovered: (discovery) => this.changed.fire({ folder, reason: "discovery", discovery }),
      workflowsChanged: () => this.changed.fire({ folder, reason: "workflows" }),
      settingsApplied: () => this.changed.fire({ folder, reason: "settings" }),
      failed: (failure) => {
        this.openErrors.set(key, failure);
        // The session goes; openErrors keeps the folder closed until refresh() or a settings change.
        this.sessions.delete(key);
        if (failure.cause === "settings") showSettingsProblem(folder, failure.message, this.log);
        this.changed.fire({ folder, reason: "failed" });
      },
      needsReopen: () => {
        this.close(folder);
        this.changed.fire({ folder, reason: "settings" });
      },
    });
    // Registered before it opens: a failure found before its first await removes it again.
    this.sessions.set(key, entry);
    return entry.open();
  }

  /** Re-discovers declarations of one folder (or all open ones). */
  async refresh(folder?: vscode.WorkspaceFolder): Promise<void> {
    const folders = folder ? [folder] : this.folders();
    await Promise.all(
      folders.map(async (target) => {
        const open = this.sessions.get(target.uri.toString());
        if (!open) {
          this.openErrors.delete(target.uri.toString());
          await this.session(target);
          return;
        }
        const session = await open.session;
        if (!session) return;
        await session.refresh();
      }),
    );
  }

  /** Tells the views a run or a workflow change happened in this folder. */
  notify(folder: vscode.WorkspaceFolder, reason: ChangeReason): void {
    this.changed.fire({ folder, reason });
  }

  private onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SECTION)) return;
    for (const folder of this.folders()) {
      // A failed folder gets one new attempt with the new settings.
      if (event.affectsConfiguration(SECTION, folder.uri)) this.openErrors.delete(folder.uri.toString());
    }
    for (const entry of [...this.sessions.values()]) {
      const { folder } = entry;
      if (!event.affectsConfiguration(SECTION, folder.uri)) continue;
      if (settingsProblem(folder)) {
        // A value out of bounds closes the session; reopening it reports the setting (see FolderSession).
        // The folder, now without a session, is told below with the others.
        this.log.info(`${folder.name}: a setting is out of bounds, closing the runtime.`);
        this.close(folder);
        continue;
      }
      entry.applySettings(readSettings(folder.uri));
    }
    for (const folder of this.folders()) {
      if (!this.sessions.has(folder.uri.toString())) this.changed.fire({ folder, reason: "settings" });
    }
  }

  private close(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const entry = this.sessions.get(key);
    if (!entry) return;
    this.sessions.delete(key);
    entry.dispose();
  }

  dispose(): void {
    for (const entry of [...this.sessions.values()]) this.close(entry.folder);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
