import { SourceMap, type SourceMapPayload } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BundleSourceMap } from "./declarationBundler";

/**
 * Maps a bundle's stack frames (1-based, innermost first) back to the first one inside the
 * declaration file itself. Read only when a load fails, so bundles carry no maps of their own.
 */
export function positionInSource(
  map: BundleSourceMap,
  frames: readonly { line: number; column: number }[],
  file: string,
): { line: number; column: number } | undefined {
  const parsed = new SourceMap(JSON.parse(map.text) as SourceMapPayload);
  for (const frame of frames) {
    const entry = parsed.findEntry(frame.line - 1, frame.column - 1);
    if (!("originalSource" in entry)) continue;
    const source = entry.originalSource.startsWith("file:")
      ? fileURLToPath(entry.originalSource)
      : resolve(map.folder, entry.originalSource);
    if (source === file) return { line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  return undefined;
}
