// What a declaration file's bundle is made of, by content: the files esbuild's metafile lists as
// its inputs and the packages they come from. The on-disk bundle cache keys on it; a tool's code
// fingerprint can be computed from the same digests.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, sep } from "node:path";

/** sha256 of a file's bytes, or "missing" when it cannot be read. */
export type ContentDigest = string;

export const MISSING = "missing";

export async function digestFile(path: string): Promise<ContentDigest> {
  try {
    return createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  } catch {
    return MISSING;
  }
}

/** Digests of every file, by absolute path, read in parallel. */
export async function digestFiles(paths: Iterable<string>): Promise<Record<string, ContentDigest>> {
  const unique = [...new Set(paths)].sort();
  const digests = await Promise.all(unique.map(digestFile));
  return Object.fromEntries(unique.map((path, index) => [path, digests[index]!]));
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/** The installed package a file belongs to (the innermost node_modules entry), if any. */
export function packageOf(path: string): { name: string; folder: string } | undefined {
  const at = path.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const root = path.slice(0, at + NODE_MODULES.length);
  const parts = path.slice(root.length).split(sep);
  const name = parts[0]?.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (!name) return undefined;
  return { name, folder: join(root, ...name.split("/")) };
}

/** Files of the workspace itself among `inputs` (not installed packages). */
export function workspaceModules(inputs: readonly string[]): string[] {
  return inputs.filter((path) => packageOf(path) === undefined);
}

/** The installed packages `inputs` come from, with their package.json version ("unknown" when it has none). */
export async function packageVersions(inputs: readonly string[]): Promise<Record<string, string>> {
  const folders = new Map<string, string>();
  for (const input of inputs) {
    const found = packageOf(input);
    if (found) folders.set(found.folder, found.name);
  }
  const entries = await Promise.all(
    [...folders].map(async ([folder, name]) => {
      try {
        const manifest: unknown = JSON.parse(await readFile(join(folder, "package.json"), "utf8"));
        const version =
          typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined;
        return [name, typeof version === "string" ? version : "unknown"] as const;
      } catch {
        return [name, "unknown"] as const;
      }
    }),
  );
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
