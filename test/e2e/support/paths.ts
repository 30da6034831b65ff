import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root (this file is test/e2e/support/paths.ts). */
export const REPO_ROOT = resolve(__dirname, "../../..");

/** Where scripts/provision-code-server.sh installs code-server (gitignored). */
export const CODE_SERVER_DIR = process.env.CODE_SERVER_DIR ?? join(REPO_ROOT, ".e2e/code-server");
export const CODE_SERVER_ENTRY = join(CODE_SERVER_DIR, "node_modules/code-server/out/node/entry.js");

/** Debian's Chromium, installed by the provisioning script. */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots and logs the CI run keeps. */
export const OUTPUT_DIR = join(REPO_ROOT, "test-output/e2e");

export const COMPANION_DIR = join(REPO_ROOT, "test/companion-extension");
export const EXAMPLES_DIR = join(REPO_ROOT, "examples");

/** Fails with the command to run when the machine is not provisioned, instead of a cryptic spawn error. */
export function assertProvisioned(): void {
  const missing = [CODE_SERVER_ENTRY, CHROMIUM].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `End-to-end prerequisites missing (${missing.join(", ")}). Run: bash scripts/provision-code-server.sh`,
    );
  }
  const bundle = join(REPO_ROOT, "dist/extension.js");
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing. Run: npm run build`);
}

/**
 * The in-host integration suite (test/extension-host/suite.ts), bundled by
 * `node esbuild.mjs extensionTests`. Its `run()` never throws and returns
 * `{ passed, failed, failures, passedNames, skipped }`.
 */
export const EXTENSION_TESTS_BUNDLE = join(REPO_ROOT, "dist/extension-tests/suite.js");
