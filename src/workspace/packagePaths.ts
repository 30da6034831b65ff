import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isPlainObject } from "../engine/json/isPlainObject";
import { WorkspaceError } from "./workspaceErrors";

const PACKAGE_NAME = "llm-function";

/**
 * The folder holding this package's package.json, found by walking up from the running file:
 * works from src/ under tsx, from dist/cli.js and from dist/extension.js alike.
 */
export function packageRoot(start: string = __dirname): string {
  let folder = resolve(start);
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && readPackageName(manifest) === PACKAGE_NAME) return folder;
    const parent = dirname(folder);
    if (parent === folder)
      throw new WorkspaceError(
        "INSTALLATION_INCOMPLETE",
        "session",
        `Cannot find the ${PACKAGE_NAME} package folder above ${start}.`,
      );
    folder = parent;
  }
}

function readPackageName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
    return isPlainObject(parsed) && typeof parsed.name === "string" ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/** The built files the workspace layer needs at run time. */
export interface RuntimeFiles {
  toolHost: string;
  /** What the tool host's startup snapshot is built from, and its builder (see toolHost/hostSnapshot.ts). */
  toolHostSnapshot: string;
  toolHostSnapshotBuilder: string;
  sdkModule: string;
  zodModule: string;
}

export function runtimeFiles(root: string = packageRoot()): RuntimeFiles {
  return {
    toolHost: join(root, "dist", "toolHost.js"),
    toolHostSnapshot: join(root, "dist", "toolHostSnapshot.js"),
    toolHostSnapshotBuilder: join(root, "dist", "toolHostSnapshotBuilder.js"),
    sdkModule: join(root, "dist", "runtime-modules", "llm-function.mjs"),
    zodModule: join(root, "dist", "runtime-modules", "zod.mjs"),
  };
}
