import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "../../src/engine/logger";
import { DEFAULT_SETTINGS } from "../../src/workspace/settings/settings";
import { isWorkspaceError, type WorkspaceErrorKind, type WorkspaceStage } from "../../src/workspace/workspaceErrors";
import type { WorkspaceSettings } from "../../src/workspace/workspaceTypes";
import { tempFolder } from "../support/tempFolders";

export const repoRoot = join(__dirname, "..", "..");

/** A fresh folder outside the repository (so no node_modules above it) holding the given files. */
export async function workspaceWith(files: Record<string, string>): Promise<string> {
  const folder = await tempFolder("llmfn-ws-");
  await writeFiles(folder, files);
  return folder;
}

export async function writeFiles(folder: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(folder, name)), { recursive: true });
    await writeFile(join(folder, name), text);
  }
}

export interface CapturedLog extends Logger {
  lines: string[];
}

export function capturingLogger(): CapturedLog {
  const lines: string[] = [];
  const push = (m: string) => {
    lines.push(m);
  };
  return { lines, debug: push, info: push, warn: push, error: push };
}

export function settingsFor(folder: string, overrides: Partial<WorkspaceSettings> = {}): WorkspaceSettings {
  return {
    folder,
    include: DEFAULT_SETTINGS.include,
    exclude: DEFAULT_SETTINGS.exclude,
    llm: { type: "ollama", host: "http://127.0.0.1:9", model: "qwen3:8b" },
    toolTimeoutMs: 5000,
    hostMemoryMb: 256,
    // Tests keep bundles to their session; the on-disk cache has tests of its own (bundleCache.test.ts).
    bundleCacheFolder: false,
    ...overrides,
  };
}

/** For assert.rejects: a WorkspaceError of this kind (and stage, when given). */
export function workspaceError(kind: WorkspaceErrorKind, stage?: WorkspaceStage): (error: unknown) => boolean {
  return (error) => isWorkspaceError(error, kind) && (stage === undefined || error.stage === stage);
}

/** A TypeScript declaration of one string tool. */
export function stringTool(name: string, body = "({ text }) => ({ text: text.toUpperCase() })"): string {
  return `import { tool } from "llm-function";
import { z } from "zod";

export const ${name} = tool(
  { name: "${name}", description: "Tool ${name}", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) },
  ${body},
);
`;
}
