import * as vscode from "vscode";
import type { VerifyResult } from "../../engine/verifyResult";
import type { DiscoveredFunction } from "../../workspace/workspaceTypes";
import { verifyProblems } from "./verifyProblems";

/**
 * The last Verify Workflows results of each folder: shown by the Functions view and as Problems
 * (a collection of their own, beside the declaration problems). A folder's results are replaced
 * by its next verification, and dropped with the folder.
 */
export class VerifyResults implements vscode.Disposable {
  private readonly byFolder = new Map<string, Map<string, VerifyResult>>();
  private readonly collection = vscode.languages.createDiagnosticCollection("llmFunction.verify");
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  of(folderUri: string, functionName: string): VerifyResult | undefined {
    return this.byFolder.get(folderUri)?.get(functionName);
  }

  set(folderUri: string, results: readonly VerifyResult[], functions: readonly DiscoveredFunction[]): void {
    this.clear(folderUri);
    this.byFolder.set(folderUri, new Map(results.map((result) => [result.function, result])));
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of verifyProblems(results, functions)) {
      const position = new vscode.Position(
        Math.max(0, problem.location.line - 1),
        Math.max(0, problem.location.column - 1),
      );
      const diagnostic = new vscode.Diagnostic(
        new vscode.Range(position, position),
        problem.message,
        problem.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = "LLM Function: Verify";
      byFile.set(problem.location.file, [...(byFile.get(problem.location.file) ?? []), diagnostic]);
    }
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
    this.changed.fire();
  }

  forget(folderUri: string): void {
    if (!this.byFolder.delete(folderUri)) return;
    this.clear(folderUri);
    this.changed.fire();
  }

  private clear(folderUri: string): void {
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === folderUri) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
    this.changed.dispose();
  }
}
