import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// node --test runs each file in its own process. Everything that process makes in the temp folder
// goes in one folder of its own, removed when it exits however its tests ended (a failed assertion
// skips a test's own clean-up, never this one). Set on import, before any test runs:
// - the temp folder itself, here and in every process started from here (llmfn, the tool host),
//   so that what a killed child leaves behind (a session's bundle folder) goes too;
// - the bundle cache, never the user's (a test wanting the cache off, or its own, says so);
// - no tool host startup snapshot, whose background builds (~2 s of CPU each) would crowd the
//   suite: the tests that use one build it first (see builtHostSnapshot).
const root = mkdtempSync(join(tmpdir(), "llmfn-test-"));
process.once("exit", () => rmSync(root, { recursive: true, force: true }));
for (const name of ["TMPDIR", "TMP", "TEMP"]) process.env[name] = root;
process.env.LLMFN_CACHE_DIR = join(root, "bundle-cache");
process.env.LLMFN_HOST_SNAPSHOT = "off";

/** A fresh folder in the temp folder, removed when the test file's process exits. */
export async function tempFolder(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}
