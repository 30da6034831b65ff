// Extension figures for `npm run bench`: the packaged .vsix size and the activation time
// measured in a real VS Code (code-server; provision it with scripts/provision-code-server.sh).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVSIX } from "@vscode/vsce";
import { measureActivation, measureTimeToFirstFunctionListed } from "../test/e2e/support/activation";
import { REPO_ROOT } from "../test/e2e/support/paths";

function build(...args: string[]): void {
  // stdout is the bench's JSON: build output goes to stderr.
  execFileSync(process.execPath, ["esbuild.mjs", ...args], { cwd: REPO_ROOT, stdio: ["ignore", 2, 2] });
}

/** Bytes of the .vsix `npm run package` makes (production build, packaged to a temp dir). */
export async function vsixBytes(): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), "llmfn-vsix-"));
  try {
    const packagePath = join(directory, "llm-function.vsix");
    // vsce prints its file tree with console.log; stdout is the bench's JSON.
    const log = console.log;
    console.log = console.error;
    try {
      await createVSIX({ cwd: REPO_ROOT, packagePath, allowMissingRepository: true });
    } finally {
      console.log = log;
    }
    return (await stat(packagePath)).size;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Measured on the production build (what users install); the development build is restored
 * after. activation_ms is VS Code's own figure (loading the bundle plus activate());
 * activate_call_ms is the time inside activate() alone; time_to_first_function_listed_ms adds the
 * engine load, discovery and the Functions view rendering (see measureTimeToFirstFunctionListed).
 */
export async function extensionBenchmarks(): Promise<{
  vsix_bytes: number;
  activation_ms: number;
  activate_call_ms: number;
  time_to_first_function_listed_ms: number;
}> {
  build("--production");
  try {
    const vsix_bytes = await vsixBytes();
    const activation = await measureActivation();
    const time_to_first_function_listed_ms = Math.round(await measureTimeToFirstFunctionListed());
    return {
      vsix_bytes,
      activation_ms: activation.activationMs,
      activate_call_ms: activation.activateCallMs,
      time_to_first_function_listed_ms,
    };
  } finally {
    build();
  }
}
