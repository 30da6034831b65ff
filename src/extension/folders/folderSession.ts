import type * as vscode from "vscode";
import { describeUnknown } from "../../engine/errors";
import {
  changedSettings,
  workspaceSettingsFrom,
  type SettingName,
  type SettingValues,
} from "../../workspace/settings/settings";
import { EarlyHost } from "../../workspace/toolHost/hostProcess";
import type { WorkspaceSession } from "../../workspace/workspaceSession";
import type { DiscoveryResult } from "../../workspace/workspaceTypes";
import { engineLoaded, loadEngine } from "../loadEngine";
import type { OpenFailure } from "./folderChange";
import { watchFolder } from "./folderWatcher";
import { settingsProblem } from "./settingsProblem";

/** Settings the file watchers are made from. */
const WATCHED_SETTINGS: readonly SettingName[] = ["include", "storagePath"];

export interface FolderSessionEvents {
  /** The session opened with this discovery. */
  opened(discovery: DiscoveryResult): void;
  /** Discovery ran again (files changed, or new settings re-discovered). */
  discovered(discovery: DiscoveryResult): void;
  /** Workflow files changed on disk and were read again. */
  workflowsChanged(): void;
  /** New settings apply from the next call. */
  settingsApplied(): void;
  /** The session could not be opened; the folder stays closed until asked again. */
  failed(failure: OpenFailure): void;
  /** The session could not take new settings: it must be closed and opened again. */
  needsReopen(): void;
}

/**
 * One folder's WorkspaceSession while it is in use: opens it, watches its files, applies
 * settings changes in place, and closes it. Once closed, late results of an open or a
 * settings change are dropped rather than reported for a folder that moved on.
 */
export class FolderSession {
  private opening: Promise<WorkspaceSession | undefined> = Promise.resolve(undefined);
  private current: WorkspaceSession | undefined;
  private discoveryListener: { dispose(): void } | undefined;
  private watcher: vscode.Disposable | undefined;
  private closed = false;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private settings: SettingValues,
    private readonly log: vscode.LogOutputChannel,
    private readonly events: FolderSessionEvents,
  ) {}

  /** The session, once open() has been called: undefined when it failed or was closed meanwhile. */
  get session(): Promise<WorkspaceSession | undefined> {
    return this.opening;
  }

  /** Set once the session is open, for synchronous readers (diagnostics, status). */
  get ready(): WorkspaceSession | undefined {
    return this.current;
  }

  /** Starts opening; called once the owner has registered this folder, since a failure may be reported at once. */
  open(): Promise<WorkspaceSession | undefined> {
    this.opening = this.load();
    return this.opening;
  }

  private async load(): Promise<WorkspaceSession | undefined> {
    const { folder } = this;
    const started = Date.now();
    const invalid = settingsProblem(folder);
    if (invalid) {
      this.fail({ cause: "settings", message: invalid });
      return undefined;
    }
    let earlyHost: EarlyHost | undefined;
    try {
      const settings = workspaceSettingsFrom(folder.uri.fsPath, this.settings, this.log);
      // Forked before the engine loads, so that the host's start overlaps that load rather than discovery's
      // esbuild build. Only then: later there is no load to overlap, and a folder without declarations
      // would cost a process for nothing.
      if (!engineLoaded()) earlyHost = EarlyHost.start(settings.hostMemoryMb);
      const session = await loadEngine().WorkspaceSession.open(settings, earlyHost ? { earlyHost } : {});
      if (this.closed) {
        await session.dispose();
        return undefined;
      }
      this.current = session;
      const { discovery } = session;
      this.log.info(
        `${folder.name}: ${discovery.functions.length} functions, ${discovery.tools.length} tools, ${discovery.diagnostics.length} problems in ${discovery.files.length} files (${Date.now() - started} ms).`,
      );
      this.discoveryListener = session.onDidChange((result) => this.events.discovered(result));
      this.watcher = this.watch(session);
      this.events.opened(discovery);
      return session;
    } catch (error) {
      this.fail({ cause: "load", message: describeUnknown(error) });
      return undefined;
    } finally {
      // Not taken over: the folder has nothing to load (a host is started when it has), or the open failed.
      earlyHost?.discard();
    }
  }

  private fail(failure: OpenFailure): void {
    const what = `${failure.cause === "settings" ? "" : "could not load declarations: "}${failure.message}`;
    if (this.closed) {
      // Closed or replaced by a newer open meanwhile: this failure says nothing about the folder now.
      this.log.info(`${this.folder.name}: an earlier attempt to open the runtime failed: ${what}`);
      return;
    }
    this.log.error(`${this.folder.name}: ${what}`);
    this.closed = true;
    this.events.failed(failure);
  }

  private watch(session: WorkspaceSession): vscode.Disposable {
    const { folder } = this;
    return watchFolder(folder, this.settings.include, session.storagePath, {
      // The session tells its onDidChange listeners (see load()) when discovery is done.
      filesChanged: (files) =>
        session
          .refresh(files)
          .catch((error: unknown) => this.log.error(`${folder.name}: refresh failed: ${describeUnknown(error)}`)),
      workflowsChanged: () =>
        session.runtime
          .reconcileWithStorage()
          .catch((error: unknown) =>
            this.log.warn(`Could not re-read the workflow files of ${folder.name}: ${describeUnknown(error)}`),
          )
          .finally(() => this.events.workflowsChanged()),
    });
  }

  /**
   * Updates the open session in place: calls already running finish with the settings they
   * started with, the next call uses the new ones. A session that cannot take them asks to be
   * reopened, so that the next use opens it again and reports why.
   */
  applySettings(settings: SettingValues): void {
    const changed = changedSettings(this.settings, settings);
    if (changed.length === 0) return;
    this.settings = settings;
    const { folder } = this;
    this.log.info(`${folder.name}: applying ${changed.join(", ")} from the next call.`);
    this.opening
      .then(async (session) => {
        if (!session) return;
        await session.updateSettings(workspaceSettingsFrom(folder.uri.fsPath, settings, this.log));
        if (this.closed) return;
        if (changed.some((name) => WATCHED_SETTINGS.includes(name))) {
          this.watcher?.dispose();
          this.watcher = this.watch(session);
        }
        this.events.settingsApplied();
      })
      .catch((error: unknown) => {
        if (this.closed) {
          // Closed meanwhile (the session refuses changes once closed): nothing is left to reload.
          this.log.info(
            `${folder.name}: the new settings were not applied, the runtime was closed meanwhile: ${describeUnknown(error)}`,
          );
          return;
        }
        this.log.error(`${folder.name}: could not apply the new settings, reloading: ${describeUnknown(error)}`);
        this.events.needsReopen();
      });
  }

  /** Stops watching and closes the session (once it has opened, if it is still opening). */
  dispose(): void {
    this.closed = true;
    this.discoveryListener?.dispose();
    this.watcher?.dispose();
    void this.opening
      .then((session) => session?.dispose())
      .catch((error: unknown) => {
        this.log.warn(`${this.folder.name}: closing the session failed: ${describeUnknown(error)}`);
      });
  }
}
