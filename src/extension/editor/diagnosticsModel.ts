import type { DeclarationDiagnostic } from "../../workspace/workspaceTypes";

/** Declaration problems grouped by the file they belong to, in a stable order. */
export function diagnosticsByFile(diagnostics: readonly DeclarationDiagnostic[]): Map<string, DeclarationDiagnostic[]> {
  const byFile = new Map<string, DeclarationDiagnostic[]>();
  for (const diagnostic of diagnostics) {
    const list = byFile.get(diagnostic.location.file) ?? [];
    list.push(diagnostic);
    byFile.set(diagnostic.location.file, list);
  }
  for (const list of byFile.values())
    list.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return byFile;
}
