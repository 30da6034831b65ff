import assert from "node:assert/strict";
import { test } from "node:test";
import { parseWebviewMessage } from "../../src/extension/inspector/inspectorMessages";

test("a webview message past the depth or size limits is refused before its schema walks it", () => {
  let deep: unknown = "x";
  for (let i = 0; i < 10_000; i++) deep = { file: deep };
  const nested = parseWebviewMessage({ type: "delete", file: deep });
  assert.ok(!nested.ok);
  assert.match(nested.error, /^message refused: it is nested more than 4 levels deep/);
  const wide = parseWebviewMessage({
    type: "run",
    ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])),
  });
  assert.ok(!wide.ok);
  assert.match(wide.error, /more than 64 values/);
  assert.deepEqual(parseWebviewMessage({ type: "openJson", file: "/w/a.json" }), {
    ok: true,
    value: { type: "openJson", file: "/w/a.json" },
  });
});
