import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, createNonce, inspectorHtml } from "../../src/extension/inspector/inspectorHtml";
import { parseWebviewMessage } from "../../src/extension/inspector/inspectorMessages";

test("valid webview messages are accepted as typed values", () => {
  for (const message of [
    { type: "ready" },
    { type: "run" },
    { type: "replan" },
    { type: "delete", file: "/w/.llm-function/workflows/a.json" },
    { type: "openJson", file: "/w/a.json" },
    { type: "selectWorkflow", file: "/w/b.json" },
    { type: "compareWith", file: "/w/c.json" },
    { type: "closeCompare" },
  ]) {
    const parsed = parseWebviewMessage(message);
    assert.equal(parsed.ok, true, JSON.stringify(message));
    if (parsed.ok) assert.deepEqual(parsed.value, message);
  }
});

test("malformed webview messages are rejected with a reason", () => {
  for (const message of [
    null,
    "run",
    {},
    { type: "launch" },
    { type: "delete" },
    { type: "delete", file: "" },
    { type: "delete", file: 42 },
    { type: "run", extra: true },
    { type: "compareWith" },
    { type: "closeCompare", file: "/w/c.json" },
    { type: "openJson", file: "x".repeat(5000) },
  ]) {
    const parsed = parseWebviewMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.ok(parsed.error.length > 0);
  }
});

test("the inspector page has a strict CSP with nonce'd script and style and no inline allowances", () => {
  const nonce = createNonce();
  assert.notEqual(nonce, createNonce());
  const html = inspectorHtml({
    cspSource: "vscode-webview://abc",
    nonce,
    scriptUri: "vscode-webview://abc/dist/webview/inspector.js",
    title: "Workflow: <x>",
  });
  const csp = contentSecurityPolicy("vscode-webview://abc", nonce);
  assert.ok(html.includes(`content="${csp}"`));
  assert.match(csp, /^default-src 'none'/);
  assert.ok(csp.includes(`script-src 'nonce-${nonce}'`));
  assert.ok(!csp.includes("unsafe-inline") && !csp.includes("unsafe-eval"));
  assert.equal(html.match(/<script /g)?.length, 1);
  assert.ok(html.includes(`<script nonce="${nonce}" src="vscode-webview://abc/dist/webview/inspector.js">`));
  assert.ok(html.includes(`<style nonce="${nonce}">`));
  assert.ok(html.includes("<title>Workflow: &#60;x&#62;</title>"));
  assert.ok(!/https?:\/\//.test(html), "no remote content");
});
