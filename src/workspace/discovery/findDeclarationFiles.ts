import type { Dirent } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
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

  // `rel` is the folder's path relative to `folder`, `/`-separated and ending in `/` (or empty):
  // joined by hand, as path.relative on every entry cost more than the listing itself.
  const walk = async (dir: string, rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // vanished or unreadable folders hold no declarations we could load anyway
    }
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(dir, entry.name);
        const relPath = rel + entry.name;
        if (entry.isDirectory()) {
          // `**/x/**` patterns match what is inside x; testing a child path prunes x itself.
          if (!excluded(relPath) && !excluded(`${relPath}/_`)) await walk(path, `${relPath}/`);
        } else if (entry.isFile() && included(relPath) && !excluded(relPath)) {
          found.push(path);
        }
      }),
    );
  };

  await walk(folder, "");
  return found.sort();
}
