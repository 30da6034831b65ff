import * as path from "node:path";
import * as vscode from "vscode";
import { readSettings } from "../configuration";
import type { FolderRuntimes } from "../folderRuntimes";
import { SETTINGS } from "../../workspace/settings/settings";

/** `Run | Inspect` above each `llmFunction(...)` declaration, at the places discovery found. */
export class FunctionCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runtimes: FolderRuntimes) {
    this.subscription = runtimes.onDidChange(({ reason }) => {
      if (reason === "discovery" || reason === "removed" || reason === "trust" || reason === "settings")
        this.changed.fire();
    });
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const folder = this.runtimes.folderFor(document.uri);
    if (!folder) return [];
    const session = await this.runtimes.session(folder);
    if (!session) return [];
    const file = path.resolve(document.uri.fsPath);
    const folderUri = folder.uri.toString();
    return session.discovery.functions
      .filter((fn) => path.resolve(fn.location.file) === file)
      .flatMap((fn) => {
        const line = Math.min(Math.max(0, fn.location.line - 1), document.lineCount - 1);
        const range = new vscode.Range(line, 0, line, 0);
        return [
          new vscode.CodeLens(range, {
            title: "Run",
            tooltip: `Run ${fn.name}`,
            command: "llmFunction.runFunction",
            arguments: [folderUri, fn.name],
          }),
          new vscode.CodeLens(range, {
            title: "Inspect",
            tooltip: `Inspect the workflow of ${fn.name}`,
            command: "llmFunction.inspectWorkflow",
            arguments: [folderUri, fn.name],
          }),
        ];
      });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Each folder's declaration files, by its own `llmFunction.discovery.include` setting. */
function codeLensSelector(): vscode.DocumentSelector {
  return (vscode.workspace.workspaceFolders ?? []).flatMap((folder) =>
    readSettings(folder.uri).include.map((glob) => ({
      scheme: "file",
      pattern: new vscode.RelativePattern(folder, glob),
    })),
  );
}

/**
 * Registers the provider for the declaration files, and registers it again when the include
 * setting or the folders change: a selector is fixed once registered.
 */
export function registerCodeLens(provider: FunctionCodeLens): vscode.Disposable {
  let registration = vscode.languages.registerCodeLensProvider(codeLensSelector(), provider);
  const reregister = () => {
    registration.dispose();
    registration = vscode.languages.registerCodeLensProvider(codeLensSelector(), provider);
  };
  const subscriptions = [
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS.include.key)) reregister();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(reregister),
  ];
  return new vscode.Disposable(() => {
    registration.dispose();
    for (const subscription of subscriptions) subscription.dispose();
  });
}
