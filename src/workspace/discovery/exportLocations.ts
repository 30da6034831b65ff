/**
 * Finds where an export is declared in its source text, as 1-based line and column of the
 * exported name: `export const x`, `export { y as x }`, `exports.x =`, `module.exports = { x }`.
 * Returns undefined when no pattern matches (e.g. re-exports from elsewhere).
 */
export function locateExport(source: string, exportName: string): { line: number; column: number } | undefined {
  const name = escapeRegExp(exportName);
  if (exportName === "default") {
    const found = /export\s+default\b|module\.exports\s*=/.exec(source);
    return found ? positionOf(source, found.index) : undefined;
  }
  const direct = new RegExp(
    `export\\s+(?:declare\\s+)?(?:const|let|var|function\\*?|async\\s+function\\*?|class)\\s+(${name})\\b`,
  ).exec(source);
  if (direct) return positionOf(source, direct.index + direct[0].length - exportName.length);

  const cjs = new RegExp(`(?:module\\.)?exports\\.(${name})\\s*=`).exec(source);
  if (cjs) return positionOf(source, cjs.index + cjs[0].indexOf(exportName, cjs[0].indexOf(".") + 1));

  // `export { local as name }` or `export { name }`, and the same inside `module.exports = { ... }`.
  for (const list of source.matchAll(/(?:export\s*|module\.exports\s*=\s*)\{([^}]*)\}/g)) {
    const renamed = new RegExp(`\\b([A-Za-z_$][\\w$]*)\\s+as\\s+${name}\\b`).exec(list[1] ?? "");
    const keyed = new RegExp(`\\b${name}\\s*:\\s*([A-Za-z_$][\\w$]*)`).exec(list[1] ?? "");
    const plain = new RegExp(`(?:^|[\\s,])${name}\\s*(?:,|$)`).exec(list[1] ?? "");
    const local = renamed?.[1] ?? keyed?.[1] ?? (plain ? exportName : undefined);
    if (local === undefined) continue;
    const declared = declarationOf(source, local);
    if (declared) return declared;
    return positionOf(source, (list.index ?? 0) + list[0].indexOf(exportName));
  }
  return undefined;
}

function declarationOf(source: string, local: string): { line: number; column: number } | undefined {
  const found = new RegExp(`(?:const|let|var|function\\*?|class)\\s+(${escapeRegExp(local)})\\b`).exec(source);
  return found ? positionOf(source, found.index + found[0].length - local.length) : undefined;
}

function positionOf(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
