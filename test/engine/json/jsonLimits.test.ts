import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { checkJsonLimits, FILE_LIMITS, parseJsonWithLimits, VALUE_LIMITS } from "../../../src/engine/json/jsonLimits";
import { parseJsonAnswer } from "../../../src/engine/llm/parseJsonAnswer";
import { deepArrayText } from "../../support/hostileJson";

test("a value nested 100,000 levels deep is refused without overflowing the stack", () => {
  const value: unknown = JSON.parse(deepArrayText(100_000));
  const violation = checkJsonLimits(value);
  assert.equal(violation?.limit, "depth");
  assert.match(violation?.message ?? "", /nested more than 128 levels/);
  // zod itself would have thrown on it: the check is what stands between them.
  assert.throws(() => z.json().parse(JSON.parse(deepArrayText(5_000))), RangeError);
});

test("values at the limit pass; one level more fails, and the path says where", () => {
  assert.equal(checkJsonLimits(JSON.parse(deepArrayText(VALUE_LIMITS.maxDepth))), undefined);
  const nested = { steps: [{ args: { city: JSON.parse(deepArrayText(VALUE_LIMITS.maxDepth)) as unknown } }] };
  const violation = checkJsonLimits(nested);
  assert.equal(violation?.limit, "depth");
  assert.match(violation?.path ?? "", /^\$\.steps\[0\]\.args\.city/);
  assert.equal(checkJsonLimits(nested, FILE_LIMITS), undefined, "files allow room for the wrapping of values");
});

test("limits deeper than the stack still get an answer: the careful walk takes over from the quick pass", () => {
  const roomy = { ...VALUE_LIMITS, maxDepth: 1_000_000 };
  assert.equal(checkJsonLimits(JSON.parse(deepArrayText(100_000)), roomy), undefined);
  assert.equal(checkJsonLimits(JSON.parse(deepArrayText(100_000)), { ...roomy, maxDepth: 99_999 })?.limit, "depth");
});

test("cycles, throwing getters, long strings and too many values are reported, never thrown", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  assert.equal(checkJsonLimits(cyclic)?.limit, "depth");
  const hostile = Object.defineProperty({}, "boom", {
    enumerable: true,
    get() {
      throw new Error("getter exploded");
    },
  });
  assert.deepEqual(checkJsonLimits(hostile), {
    limit: "unreadable",
    path: "$.boom",
    message: "it cannot be read as JSON (getter exploded)",
  });
  assert.equal(checkJsonLimits("x".repeat(11), { ...VALUE_LIMITS, maxStringLength: 10 })?.limit, "string");
  assert.equal(checkJsonLimits({ ["k".repeat(11)]: 1 }, { ...VALUE_LIMITS, maxStringLength: 10 })?.limit, "string");
  assert.equal(checkJsonLimits(new Array(1001).fill(0), { ...VALUE_LIMITS, maxNodes: 1000 })?.limit, "nodes");
  assert.equal(checkJsonLimits(["abc", "def"], { ...VALUE_LIMITS, maxTotalChars: 5 })?.limit, "size");
  assert.equal(checkJsonLimits(new Uint8Array(10_000_000)), undefined, "binary views are leaves, not walked");
});

test("parseJsonWithLimits tells a syntax error from a broken limit", () => {
  const bad = parseJsonWithLimits("{nope");
  assert.ok(!bad.ok && bad.error.limit === undefined);
  const deep = parseJsonWithLimits(deepArrayText(10_000));
  assert.ok(!deep.ok && deep.error.limit === "depth");
  const long = parseJsonWithLimits('"abcdef"', { ...VALUE_LIMITS, maxTotalChars: 4 });
  assert.ok(!long.ok && long.error.limit === "size");
  assert.deepEqual(parseJsonWithLimits('{"a":[1,2]}'), { ok: true, value: { a: [1, 2] } });
});

test("a deeply nested model answer is a bad answer with a reason, in any wrapping", () => {
  const deep = deepArrayText(3_000);
  for (const text of [
    deep,
    `{"steps": ${deep}}`,
    `Here it is:\n\`\`\`json\n{"steps": [{"name": "x", "args": {"a": {"value": ${deep}}}}]}\n\`\`\``,
  ]) {
    const parsed = parseJsonAnswer(text);
    assert.ok(!parsed.ok);
    assert.match(parsed.error, /refused: it is nested more than 128 levels deep/);
  }
});
