// What a declaration file's bundle is made of, by content: the files esbuild's metafile lists as
// its inputs and the packages they come from. The on-disk bundle cache keys on it, and a tool's
// code fingerprint names the same packages.
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, sep } from "node:path";
import { sha256, sha256Hex } from "../../engine/hash";

/** sha256 of a file's bytes, or "missing" when it cannot be read. */
export type ContentDigest = string;

const MISSING = "missing";

export async function digestFile(path: string): Promise<ContentDigest> {
  try {
    return sha256Hex(await readFile(path));
  } catch {
    return MISSING;
  }
}

/** digestFile, read synchronously (the declaration index checks a few hundred small files so, quicker than through the thread pool). */
export function digestFileSync(path: string): ContentDigest {
  try {
    return sha256Hex(readFileSync(path));
  } catch {
    return MISSING;
  }
}

/** A folder's listing by content (a new `helper.ts` beside `helper.js` changes how imports resolve). */
export async function digestListing(folder: string): Promise<ContentDigest> {
  try {
    return sha256(...(await readdir(folder)).sort());
  } catch {
    return MISSING;
  }
}

export function digestListingSync(folder: string): ContentDigest {
  try {
    return sha256(...readdirSync(folder).sort());
  } catch {
    return MISSING;
  }
}

const NODE_MODULES = `${sep}node_modules${sep}`;

/** The installed package a file belongs to (`node_modules/@scope/name/…` or `node_modules/name/…`, the innermost), if any. */
export function packageOf(path: string): { name: string; folder: string } | undefined {
  const at = path.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const root = path.slice(0, at + NODE_MODULES.length);
  const parts = path.slice(root.length).split(sep);
  const name = parts[0]?.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (!name) return undefined;
  return { name, folder: join(root, ...name.split("/")) };
}
