// Test-only companion extension. code-server has no --extensionTestsPath, so this runs the
// in-host integration suite (the bundle built by `node esbuild.mjs extensionTests`) when the
// workbench has started, and writes { passed, failed, failures } as JSON to the results file.
// Both paths come from the environment the e2e harness starts code-server with; without
// them the extension does nothing, so installing it by accident is harmless.
"use strict";
const fs = require("node:fs");
const vscode = require("vscode");

const EXTENSION_ID = "llm-function.llm-function";

function isSummary(value) {
  return (
    typeof value === "object" &&
    value !== null &&
    Number.isInteger(value.passed) &&
    Number.isInteger(value.failed) &&
    Array.isArray(value.failures)
  );
}

/** The suite (test/extension-host/suite.ts) exports `run()`, which never throws and returns its summary. */
async function runSuite(suite) {
  if (typeof suite.run !== "function") throw new Error("The in-host suite exports no run()");
  const summary = await suite.run();
  if (!isSummary(summary)) throw new Error("The in-host suite's run() did not return { passed, failed, failures }");
  return summary;
}

function messageOf(error) {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** Written to a temporary name and renamed, so the harness never reads half a file. */
function writeResults(file, results) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(results, null, 2));
  fs.renameSync(temporary, file);
}

async function activate() {
  const resultsFile = process.env.LLMFN_COMPANION_RESULTS;
  const suitePath = process.env.LLMFN_EXTENSION_TESTS;
  if (!resultsFile || !suitePath) return;
  const started = Date.now();
  let results;
  try {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    if (!extension) throw new Error(`${EXTENSION_ID} is not installed next to the companion`);
    await extension.activate();
    results = await runSuite(require(suitePath));
  } catch (error) {
    results = { passed: 0, failed: 1, failures: [`companion: running the in-host suite: ${messageOf(error)}`] };
  }
  writeResults(resultsFile, { ...results, durationMs: Date.now() - started });
}

function deactivate() {}

module.exports = { activate, deactivate };
