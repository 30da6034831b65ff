import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import picomatch from "picomatch";

/**
 * Declaration files under `folder` matching `include` and not `exclude` (globs relative to the
 * folder, `/`-separated), sorted so discovery order and duplicate reports are deterministic.
 * Excluded folders are not entered at all, so `node_modules` costs nothing.
 */
export async function findDeclarationFiles(
  folder: string,
  include: readonly string[],
  exclude: readonly string[],
): Promise<string[]> {
  const included = picomatch([...include], { dot: true });
  const excluded = picomatch([...exclude], { dot: true });
  const found: string[] = [];

  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable folders hold no declarations we could load anyway
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        const rel = relative(folder, path).split(sep).join("/");
        if (entry.isDirectory()) {
          // `**/x/**` patterns match what is inside x; testing a child path prunes x itself.
          if (!excluded(rel) && !excluded(`${rel}/_`)) await walk(path);
        } else if (entry.isFile() && included(rel) && !excluded(rel)) {
          found.push(path);
        }
      }),
    );
  };

  await walk(folder);
  return found.sort();
}
