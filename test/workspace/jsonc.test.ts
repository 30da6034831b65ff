import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJsonc } from "../../src/workspace/jsonc";

function parsed(text: string): unknown {
  const result = parseJsonc(text);
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  return result.value;
}

describe("JSONC parser", () => {
  it("removes line and block comments and trailing commas outside strings", () => {
    const text = `\uFEFF{
  // a line comment, with "quotes" and a trailing comma,
  "a": 1, /* a block
  comment over lines */ "b": [1, 2, /* inside */ ],
  "c": { "d": true, // after a trailing comma
  },
}`;
    assert.deepEqual(parsed(text), { a: 1, b: [1, 2], c: { d: true } });
  });

  it("keeps strings that look like comments or trailing commas", () => {
    const value = {
      include: "**/*.{llm,}.ts",
      list: "[a,]",
      url: "http://127.0.0.1:11434//api",
      block: "/* not a comment */",
      escaped: 'say \\"hi\\", // still text,}',
      path: "C:\\dir\\",
    };
    assert.deepEqual(parsed(`{ ${JSON.stringify(value).slice(1, -1)}, // end\n}`), value);
  });

  it("drops a trailing comma followed by a comment before the bracket", () => {
    assert.deepEqual(parsed('["x", // last\n /* really */ ]'), ["x"]);
  });

  it("keeps commas between values, even with comments around them", () => {
    assert.deepEqual(parsed("[1 /* one */, // two next\n 2]"), [1, 2]);
  });

  it("reports invalid JSON and an unterminated block comment as a SyntaxError", () => {
    const broken = parseJsonc('{ "a": }');
    assert.ok(!broken.ok && broken.error instanceof SyntaxError);
    const unterminated = parseJsonc('{ "a": 1 } /* never closed');
    assert.ok(!unterminated.ok);
    assert.match(unterminated.error.message, /Unterminated \/\* comment/);
    assert.ok(!parseJsonc("[1,,]").ok, "only one trailing comma is forgiven");
  });

  it("keeps every position, so JSON.parse's error points into the original text", () => {
    const text = '// header\n{ "a": 1, /* note\n */ "b": [2,], oops }';
    const broken = parseJsonc(text);
    assert.ok(!broken.ok);
    assert.match(broken.error.message, new RegExp(`at position ${text.indexOf("oops")}$`));
  });
});
