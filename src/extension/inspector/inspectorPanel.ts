import * as vscode from "vscode";
import { describeUnknown } from "../../engine/errors";
import type { FolderRuntimes } from "../folderRuntimes";
import { createNonce, inspectorHtml } from "./inspectorHtml";
import { loadEngine } from "../loadEngine";
import { comparisonView } from "./inspectorCompare";
import { inspectorState, type InspectorState } from "./inspectorModel";
import type { ExtensionMessage, WebviewMessage } from "./inspectorProtocol";
import { isSavedPage } from "../webview/inspectorPageState";

export const VIEW_TYPE = "llmFunction.inspector";

/** One open inspector: a function of a folder, showing one of its stored workflows. */
export class InspectorPanel implements vscode.Disposable {
  private selectedFile: string | undefined;
  /** Compare mode: the stored workflow the selected one is compared with. */
  private compareFile: string | undefined;
  private state: InspectorState | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly folder: vscode.WorkspaceFolder,
    readonly functionName: string,
    private readonly runtimes: FolderRuntimes,
    private readonly log: vscode.LogOutputChannel,
    onDispose: () => void,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      // The page is rebuilt when it becomes visible again (no retained context): it posts `ready`.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (webviewPanel.visible) this.refresh();
      }),
    );
  }

  get currentState(): InspectorState | undefined {
    return this.state;
  }

  select(file: string | undefined): void {
    this.selectedFile = file;
  }

  /** update() for callers that do not wait: a failure is logged, never left unhandled. */
  refresh(): void {
    this.update().catch((error: unknown) =>
      this.log.error(`Inspector: updating ${this.functionName} failed: ${describeUnknown(error)}`),
    );
  }

  /** Rebuilds the state from the session and the run history and posts it. */
  async update(): Promise<InspectorState | undefined> {
    const session = await this.runtimes.session(this.folder);
    if (!session || this.disposed) return undefined;
    const fn = session.discovery.functions.find((candidate) => candidate.name === this.functionName);
    const [workflows, state] = await Promise.all([
      session.workflows(this.functionName),
      session.state(this.functionName),
    ]);
    this.state = inspectorState({
      folderUri: this.folder.uri.toString(),
      folderName: this.folder.name,
      functionName: this.functionName,
      description: fn?.description ?? "This function is no longer declared.",
      workflows,
      ...(fn ? { state } : {}),
      ...(this.selectedFile ? { selectedFile: this.selectedFile } : {}),
      runs: this.runtimes.history(this.folder).forFunction(this.functionName),
    });
    const comparison = comparisonView(workflows, this.state.selected?.file, this.compareFile);
    if (comparison) this.state = { ...this.state, comparison };
    this.post({ type: "state", state: this.state });
    return this.state;
  }

  private post(message: ExtensionMessage): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = loadEngine().parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Inspector: ignored a malformed message: ${parsed.error}`);
      return;
    }
    try {
      await this.handle(parsed.value);
    } catch (error) {
      this.log.error(`Inspector: ${parsed.value.type} failed: ${describeUnknown(error)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    const folderUri = this.folder.uri.toString();
    switch (message.type) {
      case "ready":
        await this.update();
        return;
      case "selectWorkflow":
        if (await this.isStoredWorkflow(message.file)) this.selectedFile = message.file;
        await this.update();
        return;
      case "compareWith":
        if (await this.isStoredWorkflow(message.file)) this.compareFile = message.file;
        await this.update();
        return;
      case "closeCompare":
        this.compareFile = undefined;
        await this.update();
        return;
      case "run":
        await vscode.commands.executeCommand("llmFunction.runFunction", folderUri, this.functionName);
        return;
      case "replan":
        this.post({ type: "busy", busy: true, label: "Planning" });
        try {
          await vscode.commands.executeCommand("llmFunction.planFunction", folderUri, this.functionName);
        } finally {
          this.selectedFile = undefined;
          // Only the end of the action clears the indicator: state posted meanwhile (a watcher) keeps it.
          await this.update().finally(() => this.post({ type: "busy", busy: false }));
        }
        return;
      case "delete":
        // Only files the session lists for this function: the page cannot name arbitrary paths.
        if (!(await this.isStoredWorkflow(message.file))) return;
        await vscode.commands.executeCommand("llmFunction.deleteWorkflow", folderUri, this.functionName, message.file);
        return;
      case "openJson":
        if (!(await this.isStoredWorkflow(message.file))) return;
        await vscode.window.showTextDocument(vscode.Uri.file(message.file), {
          viewColumn: vscode.ViewColumn.Beside,
          preview: true,
        });
        return;
    }
  }

  private async isStoredWorkflow(file: string): Promise<boolean> {
    const session = await this.runtimes.session(this.folder);
    const known = session ? (await session.workflows(this.functionName)).some((stored) => stored.file === file) : false;
    if (!known) this.log.warn(`Inspector: ${file} is not a stored workflow of ${this.functionName}.`);
    return known;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The open inspectors, one per function; kept up to date as runs and workflow files change, restored after a reload. */
export class InspectorPanels implements vscode.Disposable {
  private readonly panels = new Map<string, InspectorPanel>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runtimes: FolderRuntimes,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      runtimes.onDidChange(({ folder, reason }) => {
        for (const panel of [...this.panels.values()]) {
          if (panel.folder.uri.toString() !== folder.uri.toString()) continue;
          // An inspector of a folder that left the workspace has nothing left to show.
          if (reason === "removed") panel.panel.dispose();
          else panel.refresh();
        }
      }),
      // Inspectors open when the window reloads come back with the page state they saved.
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: (panel, saved: unknown) => this.restore(panel, saved),
      }),
    ];
  }

  get open(): readonly InspectorPanel[] {
    return [...this.panels.values()];
  }

  async show(folder: vscode.WorkspaceFolder, functionName: string, file?: string): Promise<InspectorPanel> {
    let inspector = this.panels.get(panelKey(folder, functionName));
    if (inspector) {
      inspector.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(
        VIEW_TYPE,
        `Workflow: ${functionName}`,
        vscode.ViewColumn.Active,
        this.webviewOptions(),
      );
      inspector = this.adopt(panel, folder, functionName);
    }
    inspector.select(file);
    await inspector.update();
    return inspector;
  }

  /** A panel VS Code kept over a reload: reattached to its folder and function, or closed when they are gone. */
  async restore(panel: vscode.WebviewPanel, saved: unknown): Promise<void> {
    const target = restoredTarget(saved);
    const folder = target && this.runtimes.folderFor(target.folderUri);
    if (!target || !folder || this.panels.has(panelKey(folder, target.functionName))) {
      this.log.info("Inspector: a panel from the last window could not be restored; closed it.");
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    const inspector = this.adopt(panel, folder, target.functionName);
    inspector.select(target.file);
    await inspector.update();
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, "dist", "webview"),
        vscode.Uri.joinPath(this.extensionUri, "media"),
      ],
    };
  }

  private adopt(panel: vscode.WebviewPanel, folder: vscode.WorkspaceFolder, functionName: string): InspectorPanel {
    const key = panelKey(folder, functionName);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, "media", "llm-function.svg");
    panel.title = `Workflow: ${functionName}`;
    panel.webview.html = inspectorHtml({
      cspSource: panel.webview.cspSource,
      nonce: createNonce(),
      scriptUri: panel.webview
        .asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview", "inspector.js"))
        .toString(),
      title: `Workflow: ${functionName}`,
    });
    const inspector = new InspectorPanel(panel, folder, functionName, this.runtimes, this.log, () =>
      this.panels.delete(key),
    );
    this.panels.set(key, inspector);
    return inspector;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    for (const panel of this.panels.values()) panel.panel.dispose();
    this.panels.clear();
  }
}

function panelKey(folder: vscode.WorkspaceFolder, functionName: string): string {
  return `${folder.uri.toString()}#${functionName}`;
}

/** What a saved page names: its folder, its function and the workflow it showed. */
function restoredTarget(saved: unknown): { folderUri: string; functionName: string; file?: string } | undefined {
  if (!isSavedPage(saved)) return undefined;
  const file = saved.current.selected?.file;
  return { folderUri: saved.current.folderUri, functionName: saved.current.functionName, ...(file ? { file } : {}) };
}
