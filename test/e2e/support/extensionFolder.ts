import { existsSync } from "node:fs";
import { cp, mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { listFiles } from "@vscode/vsce";
import { COMPANION_DIR, REPO_ROOT } from "./paths";

interface Manifest {
  publisher: string;
  name: string;
  version: string;
}

async function manifestOf(folder: string): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(join(folder, "package.json"), "utf8")) as Partial<Manifest>;
  if (!manifest.publisher || !manifest.name || !manifest.version) {
    throw new Error(`${folder}/package.json needs publisher, name and version to be installed as an extension`);
  }
  return { publisher: manifest.publisher, name: manifest.name, version: manifest.version };
}

/** `<publisher>.<name>`, as `vscode.extensions.getExtension` knows it. */
export async function extensionId(folder: string = REPO_ROOT): Promise<string> {
  const { publisher, name } = await manifestOf(folder);
  return `${publisher}.${name}`;
}

async function copyInto(source: string, extensionsDir: string, files: readonly string[]): Promise<string> {
  const { publisher, name, version } = await manifestOf(source);
  const target = join(extensionsDir, `${publisher}.${name}-${version}`);
  for (const file of files) {
    await mkdir(dirname(join(target, file)), { recursive: true });
    await cp(join(source, file), join(target, file));
  }
  return target;
}

let packagedFiles: Promise<string[]> | undefined;

/**
 * Installs the built extension unpacked, with exactly the files `vsce package` would put in
 * the .vsix (vsce's own listing, .vscodeignore applied): the tests see what users install.
 */
export async function installExtension(extensionsDir: string): Promise<string> {
  packagedFiles ??= listFiles({ cwd: REPO_ROOT });
  return copyInto(REPO_ROOT, extensionsDir, await packagedFiles);
}

/** Installs the companion extension that runs the in-host suite on activation. */
export function installCompanion(extensionsDir: string): Promise<string> {
  const files = ["package.json", "extension.js"].filter((file) => existsSync(join(COMPANION_DIR, file)));
  return copyInto(COMPANION_DIR, extensionsDir, files);
}
