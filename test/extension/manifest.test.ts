import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

interface Manifest {
  activationEvents: string[];
  contributes: { viewsWelcome: { view: string; contents: string }[] };
}

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as Manifest;

test("welcome views show no literal Markdown code spans (they render only links)", () => {
  for (const welcome of manifest.contributes.viewsWelcome)
    assert.ok(!welcome.contents.includes("`"), `${welcome.view}: ${welcome.contents}`);
});

test("a reload restores open inspectors: the extension activates for its webview panels", () => {
  assert.ok(manifest.activationEvents.includes("onWebviewPanel:llmFunction.inspector"));
});
