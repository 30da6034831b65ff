import * as vscode from "vscode";
import type { DeclarationDiagnostic, SourceLocation } from "../../workspace/workspaceTypes";
import type { FolderChange } from "../folders/folderChange";
import type { FolderRuntimes } from "../folderRuntimes";
import { diagnosticsByFile } from "./diagnosticsModel";

function rangeAt(location: SourceLocation): vscode.Range {
  const line = Math.max(0, location.line - 1);
  const column = Math.max(0, location.column - 1);
  // The end is clamped to the line by the editor: the whole rest of the line is marked.
  return new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER);
}

function toDiagnostic(diagnostic: DeclarationDiagnostic): vscode.Diagnostic {
  const result = new vscode.Diagnostic(
    rangeAt(diagnostic.location),
    diagnostic.message,
    diagnostic.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  result.source = "LLM Function";
  if (diagnostic.related && diagnostic.related.length > 0) {
    result.relatedInformation = diagnostic.related.map(
      (location) =>
        new vscode.DiagnosticRelatedInformation(
          new vscode.Location(vscode.Uri.file(location.file), rangeAt(location)),
          "Also declared here",
        ),
    );
  }
  return result;
}

/** Declaration problems of every folder, in the Problems panel. */
export class DeclarationDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("llmFunction");
  /** Files each folder has problems in, so they are cleared when fixed. */
  private readonly filesByFolder = new Map<string, vscode.Uri[]>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runtimes: FolderRuntimes) {
    this.subscription = runtimes.onDidChange((change) => this.update(change));
  }

  private update(change: FolderChange): void {
    const key = change.folder.uri.toString();
    if (change.reason === "removed" || change.reason === "failed") {
      this.clear(key);
      return;
    }
    if (change.reason !== "discovery") return;
    const discovery = change.discovery ?? this.runtimes.peek(change.folder)?.discovery;
    if (!discovery) return;
    this.clear(key);
    const uris: vscode.Uri[] = [];
    for (const [file, diagnostics] of diagnosticsByFile(discovery.diagnostics)) {
      const uri = vscode.Uri.file(file);
      this.collection.set(uri, diagnostics.map(toDiagnostic));
      uris.push(uri);
    }
    this.filesByFolder.set(key, uris);
  }

  private clear(folderKey: string): void {
    for (const uri of this.filesByFolder.get(folderKey) ?? []) this.collection.delete(uri);
    this.filesByFolder.delete(folderKey);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
