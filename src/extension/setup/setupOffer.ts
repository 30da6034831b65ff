import * as vscode from "vscode";
import type { FolderRuntimes } from "../folderRuntimes";

const OFFERED_KEY = "llmFunction.setupOffered";
/** TypeScript's "Cannot find module" (2307) and its "did you mean to set moduleResolution" variant (2792). */
const UNRESOLVED_CODES = new Set([2307, 2792]);
const SDK_MODULE = /Cannot find module '(llm-function|zod)'/;

function codeOf(diagnostic: vscode.Diagnostic): number | undefined {
  const code = typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;
  return typeof code === "number" ? code : typeof code === "string" ? Number(code) : undefined;
}

/** The editor's "Cannot find module 'llm-function'" or "'zod'": discovery resolves both anyway, the editor does not. */
export function isUnresolvedSdkImport(diagnostic: vscode.Diagnostic): boolean {
  const code = codeOf(diagnostic);
  return code !== undefined && UNRESOLVED_CODES.has(code) && SDK_MODULE.test(diagnostic.message);
}

/**
 * Points users with existing declarations to Set Up Workspace when the editor cannot resolve the
 * `llm-function` and `zod` imports: a quick fix on the import, and one notification per folder
 * (remembered in workspace state).
 */
export class SetupOffer implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly disposables: vscode.Disposable[];
  /** Folders offered in this window, before the workspace state is written. */
  private readonly offering = new Set<string>();

  constructor(
    private readonly runtimes: FolderRuntimes,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const selector: vscode.DocumentSelector = ["typescript", "typescriptreact", "javascript", "javascriptreact"].map(
      (language) => ({ language, scheme: "file" }),
    );
    this.disposables = [
      vscode.languages.registerCodeActionsProvider(selector, this, {
        providedCodeActionKinds: SetupOffer.providedCodeActionKinds,
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) this.check(uri);
      }),
    ];
  }

  /** Folders already offered set-up (workspace state), by URI. */
  offered(): string[] {
    return this.state.get<string[]>(OFFERED_KEY, []);
  }

  private check(uri: vscode.Uri): void {
    const folder = this.runtimes.folderFor(uri);
    if (!folder) return;
    const key = folder.uri.toString();
    if (this.offering.has(key) || this.offered().includes(key)) return;
    if (!vscode.languages.getDiagnostics(uri).some(isUnresolvedSdkImport)) return;
    this.offering.add(key);
    void this.state.update(OFFERED_KEY, [...this.offered(), key]);
    this.log.info(`${folder.name}: the editor cannot resolve llm-function or zod; offering Set Up Workspace.`);
    void vscode.window
      .showInformationMessage(
        `The editor cannot find the types of "llm-function" and "zod" in ${folder.name}, so declaration files show import errors (discovery and runs do not need them). Set Up Workspace adds the types.`,
        "Set Up Workspace",
        "Not Now",
      )
      .then((choice) => {
        if (choice === "Set Up Workspace") void vscode.commands.executeCommand("llmFunction.setUpWorkspace", key);
      });
  }

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const diagnostics = context.diagnostics.filter(isUnresolvedSdkImport);
    const folder = this.runtimes.folderFor(document.uri);
    if (diagnostics.length === 0 || !folder) return [];
    const action = new vscode.CodeAction(
      "Set up types for llm-function and zod (LLM Function: Set Up Workspace)",
      vscode.CodeActionKind.QuickFix,
    );
    action.diagnostics = diagnostics;
    action.isPreferred = true;
    action.command = {
      command: "llmFunction.setUpWorkspace",
      title: "Set Up Workspace",
      arguments: [folder.uri.toString()],
    };
    return [action];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
