import { spawn } from "node:child_process";
import { cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { tempFolder } from "../support/tempFolders";

// Runs the built `llmfn` as a real process on copies of the example workspace.

export const root = join(__dirname, "..", "..");
export const cli = join(root, "dist", "cli.js");
/** Nothing listens here: any LLM call fails as unreachable. */
export const CLOSED = "http://127.0.0.1:9";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export { requireBuilt } from "../support/built";

/**
 * Runs llmfn, in the environment of the tests (with their own bundle cache, see tempFolders) and
 * `env` on top; `onStderr` sees each chunk as it comes (to act on progress while it runs).
 */
export function llmfn(
  args: string[],
  options: { onStderr?: (text: string, pid: number) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OLLAMA_HOST: CLOSED, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (child.pid !== undefined) options.onStderr?.(stderr, child.pid);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A copy of the example, so its committed workflows stay untouched. */
export async function exampleCopy(): Promise<string> {
  const folder = await tempFolder("llmfn-weather-");
  await cp(join(root, "examples", "weather"), folder, { recursive: true });
  return folder;
}

export async function storedFiles(
  folder: string,
  kind: "workflows" | "verifications" = "workflows",
): Promise<string[]> {
  return (await readdir(join(folder, ".llm-function", kind)).catch(() => []))
    .filter((name) => name.endsWith(".json"))
    .sort();
}
