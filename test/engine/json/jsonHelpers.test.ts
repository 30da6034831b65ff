import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { z } from "zod";
import { isPlainObject } from "../../../src/engine/json/isPlainObject";
import { formatIssue, formatIssuePath, formatIssues } from "../../../src/engine/json/validationIssues";

describe("formatIssues", () => {
  it("writes paths the way references and diffs do", () => {
    assert.equal(formatIssuePath(["items", 0, "name"]), "items[0].name");
    assert.equal(formatIssuePath([0, "a", 1, 2]), "[0].a[1][2]");
    assert.equal(formatIssuePath([]), "");
  });

  it("shows the bare message for the value itself and joins several issues", () => {
    assert.equal(formatIssue({ path: [], message: "Expected object" }), "Expected object");
    assert.equal(
      formatIssues([
        { path: ["city"], message: "Required" },
        { path: ["days", 1], message: "Too big" },
      ]),
      "city: Required; days[1]: Too big",
    );
  });

  it("formats zod's own issues without conversion", () => {
    const parsed = z.object({ list: z.array(z.number()) }).safeParse({ list: [1, "two"] });
    assert.ok(!parsed.success);
    assert.match(formatIssues(parsed.error.issues), /^list\[1\]: /);
  });
});

describe("isPlainObject", () => {
  it("accepts data objects, also null-prototype ones and ones from another realm", () => {
    assert.equal(isPlainObject({ a: 1 }), true);
    assert.equal(isPlainObject(JSON.parse('{"__proto__": 1}')), true);
    assert.equal(isPlainObject(Object.create(null)), true);
    assert.equal(isPlainObject(runInNewContext("({ a: 1 })")), true);
  });

  it("refuses arrays, null, primitives, functions and class instances", () => {
    for (const value of [[], null, undefined, "x", 1, () => 1, new Date(0), new Map(), new (class Point {})()]) {
      assert.equal(isPlainObject(value), false, String(value));
    }
  });
});
