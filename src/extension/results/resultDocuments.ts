import * as vscode from "vscode";

export const RESULT_SCHEME = "llm-function-result";
/** Results kept readable; older documents show a note instead of their content. */
const KEPT = 50;

/**
 * Run results as read-only virtual documents: they open like JSON files, never ask to be
 * saved when closed, and a reader can still copy or save them explicitly.
 */
export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this);
  private shown = 0;
  /** Results shown per folder and function: tabs count results, not runs (a failed run has none). */
  private readonly counts = new Map<string, number>();

  async show(folderName: string, functionName: string, output: unknown): Promise<vscode.TextEditor> {
    const key = `${folderName}/${functionName}`;
    const number = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, number);
    // The tab name alone can repeat (two folders of the same name), and VS Code would show the
    // document it already has for that URI: the query makes every result its own document.
    const uri = vscode.Uri.from({
      scheme: RESULT_SCHEME,
      path: `/${folderName}/${functionName} result ${number}.json`,
      query: String(++this.shown),
    });
    this.contents.set(uri.toString(), `${JSON.stringify(output, null, 2)}\n`);
    for (const key of this.contents.keys()) {
      if (this.contents.size <= KEPT) break;
      this.contents.delete(key);
    }
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? "// This result is no longer kept; run the function again.\n";
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}
