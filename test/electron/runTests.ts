// Runs the in-host integration suite in a downloaded VS Code desktop through
// @vscode/test-electron: `npm run test:electron`. It needs the VS Code download servers, so it
// is for developer machines and CI elsewhere; here the same suite runs inside code-server
// through the companion extension (test/e2e/inHost.e2e.ts).
import { join } from "node:path";
import { runTests } from "@vscode/test-electron";
import * as esbuild from "esbuild";
import { copyExample } from "../e2e/support/exampleCopy";
import { REPO_ROOT } from "../e2e/support/paths";

/** The VS Code the extension targets (engines.vscode ^1.100.0), the same as code-server 4.100.3. */
const VSCODE_VERSION = process.env.VSCODE_TEST_VERSION ?? "1.100.3";
const ENTRY_BUNDLE = join(REPO_ROOT, "dist/extension-tests/electron.js");

/** Bundles the test-electron entry (the suite plus a run() that rejects on failure). */
async function buildEntry(): Promise<void> {
  await esbuild.build({
    entryPoints: [join(REPO_ROOT, "test/electron/electronEntry.ts")],
    outfile: ENTRY_BUNDLE,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    external: ["vscode", "esbuild"],
    logLevel: "warning",
  });
}

async function main(): Promise<number> {
  await buildEntry();
  const example = await copyExample("weather");
  try {
    return await runTests({
      version: VSCODE_VERSION,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: ENTRY_BUNDLE,
      // The suite expects a trusted folder holding declarations, and no other extensions.
      launchArgs: [
        example.folder,
        "--disable-extensions",
        "--disable-workspace-trust",
        "--skip-welcome",
        "--skip-release-notes",
      ],
      cachePath: join(REPO_ROOT, ".vscode-test"),
    });
  } finally {
    await example.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`In-host tests could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
