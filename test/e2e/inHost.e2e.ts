// The in-host integration suite (test/extension-host/suite.ts) inside code-server: the
// companion extension runs it on start-up and writes its summary to a file.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { EXTENSION_TESTS_BUNDLE } from "./support/paths";
import { startSession, type E2eSession } from "./support/session";
import { screenshot } from "./support/workbench";

interface SuiteSummary {
  passed: number;
  failed: number;
  failures: string[];
  passedNames?: string[];
  skipped?: string[];
}

const SUITE_TIMEOUT_MS = 120_000;

/** The results file, once written; a modal dialog blocking the suite fails at once, with a screenshot. */
async function waitForResults(page: Page, path: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const dialog = page.locator(".monaco-dialog-box");
  while (!existsSync(path)) {
    if (await dialog.isVisible()) {
      const shot = await screenshot(page, "in-host-blocked");
      throw new Error(`A modal dialog blocks the in-host suite (see ${shot}): ${await dialog.innerText()}`);
    }
    if (Date.now() > deadline)
      throw new Error(`The companion extension wrote no results to ${path} within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
  return readFile(path, "utf8");
}

describe("in-host integration suite through the companion extension", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;
  let resultsDir: string;

  before(async () => {
    assert.ok(
      existsSync(EXTENSION_TESTS_BUNDLE),
      `${EXTENSION_TESTS_BUNDLE} is missing: run \`node esbuild.mjs extensionTests\``,
    );
    resultsDir = await mkdtemp(join(tmpdir(), "llmfn-e2e-in-host-"));
    ollama = await startScriptedOllama();
    session = await startSession({
      name: "in-host",
      example: "weather",
      companion: true,
      env: { LLMFN_COMPANION_RESULTS: join(resultsDir, "results.json"), LLMFN_EXTENSION_TESTS: EXTENSION_TESTS_BUNDLE },
      settings: { "llmFunction.ollama.host": ollama.url },
    });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
    if (resultsDir) await rm(resultsDir, { recursive: true, force: true });
  });

  test("every in-host test passes", async () => {
    const summary = JSON.parse(
      await waitForResults(session.page, join(resultsDir, "results.json"), SUITE_TIMEOUT_MS),
    ) as SuiteSummary;
    for (const name of summary.passedNames ?? []) console.log(`in-host ok: ${name}`);
    for (const skipped of summary.skipped ?? []) console.log(`in-host skipped: ${skipped}`);
    assert.deepEqual(summary.failures, [], `${summary.failed} in-host test(s) failed`);
    assert.equal(summary.failed, 0);
    assert.ok(summary.passed >= 5, `only ${summary.passed} in-host tests ran`);
  });
});
