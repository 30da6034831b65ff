import * as vscode from "vscode";
import { describeUnknown, workflowError } from "../engine/errors";
import type { WorkspaceSession } from "../workspace/workspaceSession";
import { loadEngine } from "./loadEngine";
import type { DiscoveryResult } from "../workspace/workspaceTypes";
import { rawSettings, readSettings, SECTION } from "./configuration";
import { describeWorkflowError } from "./notifications";
import { RunHistory } from "./runHistory";
import { changedSettings, workspaceSettingsFrom, type SettingName, type SettingValues } from "../workspace/settings/settings";

export type ChangeReason = "discovery" | "workflows" | "run" | "settings" | "removed" | "trust" | "failed";

export interface FolderChange {
  folder: vscode.WorkspaceFolder;
  reason: ChangeReason;
  discovery?: DiscoveryResult;
}

interface FolderEntry {
  folder: vscode.WorkspaceFolder;
  settings: SettingValues;
  session: Promise<WorkspaceSession | undefined>;
  /** Set once the session is open, for synchronous readers (diagnostics, status). */
  ready?: WorkspaceSession;
  disposables: vscode.Disposable[];
  /** File watchers, made from the settings' include globs and storage path. */
  watchers: vscode.Disposable[];
}

/** Settings the file watchers are made from. */
const WATCHED_SETTINGS: readonly (SettingName)[] = ["include", "storagePath"];

/** Why a folder has no session: a setting the schema refuses, or declarations that would not load. */
export interface OpenFailure {
  cause: "settings" | "load";
  message: string;
}

const REFRESH_DEBOUNCE_MS = 300;

/**
 * One WorkspaceSession per workspace folder, opened on first use (never during activation),
 * refreshed when declaration files change, updated in place when settings change (see
 * WorkspaceSession.updateSettings) and disposed with its folder. In an untrusted workspace no session is ever opened.
 */
export class FolderRuntimes implements vscode.Disposable {
  private readonly entries = new Map<string, FolderEntry>();
  private readonly histories = new Map<string, RunHistory>();
  /** Folders whose session failed to open: none is opened again until refresh() or a settings change. */
  private readonly openErrors = new Map<string, OpenFailure>();
  private readonly changed = new vscode.EventEmitter<FolderChange>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) {
          if (this.entries.has(folder.uri.toString())) this.log.info(`${folder.name}: removed from the workspace, its runtime is closed.`);
          this.close(folder);
          this.histories.delete(folder.uri.toString());
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
    const key = folder.uri.toString();
    let history = this.histories.get(key);
    if (!history) {
      history = new RunHistory();
      this.histories.set(key, history);
    }
    return history;
  }

  /** Why the folder's session could not be opened, if it could not. */
  openError(folder: vscode.WorkspaceFolder): OpenFailure | undefined {
    return this.openErrors.get(folder.uri.toString());
  }

  /** The folder's session if it is already open; never starts one. */
  peek(folder: vscode.WorkspaceFolder): WorkspaceSession | undefined {
    return this.entries.get(folder.uri.toString())?.ready;
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
    const existing = this.entries.get(key);
    if (existing) return existing.session;
    const settings = readSettings(folder.uri);
    const entry: FolderEntry = { folder, settings, session: Promise.resolve(undefined), disposables: [], watchers: [] };
    // Registered before open() starts: a failure found before its first await removes it again.
    this.entries.set(key, entry);
    entry.session = this.open(entry);
    return entry.session;
  }

  private async open(entry: FolderEntry): Promise<WorkspaceSession | undefined> {
    const { folder } = entry;
    const key = folder.uri.toString();
    const started = Date.now();
    const invalid = this.invalidSetting(folder);
    if (invalid) {
      this.fail(entry, { cause: "settings", message: invalid });
      return undefined;
    }
    try {
      const session = await loadEngine().WorkspaceSession.open(workspaceSettingsFrom(folder.uri.fsPath, entry.settings, this.log));
      if (this.entries.get(key) !== entry) {
        // The folder was closed or rebuilt while this session was opening.
        await session.dispose();
        return undefined;
      }
      entry.ready = session;
      this.openErrors.delete(key);
      const { discovery } = session;
      this.log.info(
        `${folder.name}: ${discovery.functions.length} functions, ${discovery.tools.length} tools, ${discovery.diagnostics.length} problems in ${discovery.files.length} files (${Date.now() - started} ms).`,
      );
      entry.disposables.push(session.onDidChange((result) => this.changed.fire({ folder, reason: "discovery", discovery: result })));
      entry.watchers = this.watch(entry, session);
      this.changed.fire({ folder, reason: "discovery", discovery });
      return session;
    } catch (error) {
      this.fail(entry, { cause: "load", message: describeUnknown(error) });
      return undefined;
    }
  }

  /** The folder's first setting outside the bounds of package.json, as a CONFIG message. */
  private invalidSetting(folder: vscode.WorkspaceFolder): string | undefined {
    const engine = loadEngine();
    const parsed = engine.parseSettings(rawSettings(folder.uri));
    return parsed.ok ? undefined : describeWorkflowError(workflowError("CONFIG", "config", engine.describeInvalidSetting(parsed.error)));
  }

  private fail(entry: FolderEntry, failure: OpenFailure): void {
    const { folder } = entry;
    const key = folder.uri.toString();
    const what = `${failure.cause === "settings" ? "" : "could not load declarations: "}${failure.message}`;
    if (this.entries.get(key) !== entry) {
      // Closed or replaced by a newer open meanwhile: this failure says nothing about the folder now.
      this.log.info(`${folder.name}: an earlier attempt to open the runtime failed: ${what}`);
      return;
    }
    this.log.error(`${folder.name}: ${what}`);
    this.openErrors.set(key, failure);
    // The entry goes; openErrors keeps the folder closed until refresh() or a settings change.
    this.entries.delete(key);
    if (failure.cause === "settings") {
      void vscode.window.showErrorMessage(`LLM Function (${folder.name}): ${failure.message}`, "Open Settings").then(
        (choice) => (choice ? vscode.commands.executeCommand("workbench.action.openSettings", SECTION) : undefined),
      ).then(undefined, (error: unknown) => this.log.error(`Opening the settings failed: ${describeUnknown(error)}`));
    }
    this.changed.fire({ folder, reason: "failed" });
  }

  private watch(entry: FolderEntry, session: WorkspaceSession): vscode.Disposable[] {
    const { folder, settings } = entry;
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      const changedFiles = [...pending];
      pending.clear();
      // The session tells its onDidChange listeners (see open()) when discovery is done.
      session.refresh(changedFiles).catch((error: unknown) => this.log.error(`${folder.name}: refresh failed: ${describeUnknown(error)}`));
    };
    const storagePath = session.storagePath;
    const onDeclaration = (uri: vscode.Uri) => {
      if (/[\\/](node_modules|\.git)[\\/]/.test(uri.fsPath) || uri.fsPath.startsWith(storagePath)) return;
      pending.add(uri.fsPath);
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, REFRESH_DEBOUNCE_MS);
    };
    let workflowTimer: NodeJS.Timeout | undefined;
    const onWorkflowFile = () => {
      if (workflowTimer) clearTimeout(workflowTimer);
      workflowTimer = setTimeout(() => {
        // Files changed behind the runtime (the CLI, a pull, a deletion): the next call reads them again.
        session.runtime
          .reconcileWithStorage()
          .catch((error: unknown) => this.log.warn(`Could not re-read the workflow files of ${folder.name}: ${describeUnknown(error)}`))
          .finally(() => this.changed.fire({ folder, reason: "workflows" }));
      }, REFRESH_DEBOUNCE_MS);
    };
    const watchers: vscode.FileSystemWatcher[] = [];
    // Declaration files, and the sources they may import (unchanged bundles are not rebuilt).
    for (const glob of [...settings.include, "**/*.{ts,mts,cts,js,mjs,cjs,json}"]) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob));
      watcher.onDidCreate(onDeclaration);
      watcher.onDidChange(onDeclaration);
      watcher.onDidDelete(onDeclaration);
      watchers.push(watcher);
    }
    const storage = vscode.Uri.file(storagePath);
    const workflowWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(storage, "workflows/*.json"));
    workflowWatcher.onDidCreate(onWorkflowFile);
    workflowWatcher.onDidChange(onWorkflowFile);
    workflowWatcher.onDidDelete(onWorkflowFile);
    watchers.push(workflowWatcher);
    return [
      ...watchers,
      new vscode.Disposable(() => {
        if (timer) clearTimeout(timer);
        if (workflowTimer) clearTimeout(workflowTimer);
      }),
    ];
  }

  /** Re-discovers declarations of one folder (or all open ones). */
  async refresh(folder?: vscode.WorkspaceFolder): Promise<void> {
    const folders = folder ? [folder] : this.folders();
    await Promise.all(
      folders.map(async (target) => {
        const open = this.entries.get(target.uri.toString());
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
    for (const entry of [...this.entries.values()]) {
      const { folder } = entry;
      if (!event.affectsConfiguration(SECTION, folder.uri)) continue;
      if (this.invalidSetting(folder)) {
        // A value out of bounds closes the session; reopening it reports the setting (see open()).
        // The folder, now without a session, is told below with the others.
        this.log.info(`${folder.name}: a setting is out of bounds, closing the runtime.`);
        this.close(folder);
        continue;
      }
      const settings = readSettings(folder.uri);
      const changed = changedSettings(entry.settings, settings);
      if (changed.length === 0) continue;
      entry.settings = settings;
      this.applySettings(entry, settings, changed);
    }
    for (const folder of this.folders()) {
      if (!this.entries.has(folder.uri.toString())) this.changed.fire({ folder, reason: "settings" });
    }
  }

  /**
   * Updates the open session in place: calls already running finish with the settings they
   * started with, the next call uses the new ones. A session that cannot take them is closed, so
   * that the next use opens it again and reports why.
   */
  private applySettings(entry: FolderEntry, settings: SettingValues, changed: (SettingName)[]): void {
    const { folder } = entry;
    const key = folder.uri.toString();
    this.log.info(`${folder.name}: applying ${changed.join(", ")} from the next call.`);
    entry.session
      .then(async (session) => {
        if (!session) return;
        await session.updateSettings(workspaceSettingsFrom(folder.uri.fsPath, settings, this.log));
        if (this.entries.get(key) !== entry) return;
        if (changed.some((name) => WATCHED_SETTINGS.includes(name))) {
          for (const watcher of entry.watchers) watcher.dispose();
          entry.watchers = this.watch(entry, session);
        }
        this.changed.fire({ folder, reason: "settings" });
      })
      .catch((error: unknown) => {
        if (this.entries.get(key) !== entry) {
          // Closed meanwhile (the session refuses changes once closed): nothing is left to reload.
          this.log.info(`${folder.name}: the new settings were not applied, the runtime was closed meanwhile: ${describeUnknown(error)}`);
          return;
        }
        this.log.error(`${folder.name}: could not apply the new settings, reloading: ${describeUnknown(error)}`);
        this.close(folder);
        this.changed.fire({ folder, reason: "settings" });
      });
  }

  private close(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    for (const disposable of [...entry.disposables, ...entry.watchers]) disposable.dispose();
    void entry.session.then((session) => session?.dispose()).catch((error: unknown) => {
      this.log.warn(`${folder.name}: closing the session failed: ${describeUnknown(error)}`);
    });
  }

  dispose(): void {
    for (const entry of [...this.entries.values()]) this.close(entry.folder);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
