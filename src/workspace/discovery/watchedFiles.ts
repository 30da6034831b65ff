import { isAbsolute, relative, sep } from "node:path";

// Which file changes can change what discovery finds, for whoever watches a folder (the
// extension's file watchers). Free of picomatch and zod: it runs in the activation bundle.

/** Sources a declaration may import: a change to one may change a bundle (unchanged ones are not rebuilt). */
const SOURCE_FILES_GLOB = "**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx,json}";

/** Never an input of discovery: dependencies and git's own files. */
const IGNORED_FOLDER = /[\\/](node_modules|\.git)[\\/]/;

/** The globs to watch, relative to the folder: the declaration files and anything they may import. */
export function watchedGlobs(include: readonly string[]): string[] {
  return [...include, SOURCE_FILES_GLOB];
}

/** Whether a change to `file` (absolute) is one to re-discover for: not in dependencies, git, or the session's own storage. */
export function isDiscoveryInput(file: string, storagePath: string): boolean {
  return !IGNORED_FOLDER.test(file) && !isInside(storagePath, file);
}

function isInside(folder: string, file: string): boolean {
  const path = relative(folder, file);
  return path === "" || (path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}
