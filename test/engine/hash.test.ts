import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { sha256, sha256Hex, stableStringify } from "../../src/engine/hash";

describe("hashing", () => {
  it("gives the digests a Hash object gives, so ids and cache names stay what they were", () => {
    const parts = ["tool_1", "Tool number 1", stableStringify({ type: "object", b: 1, a: [2] })];
    const byParts = createHash("sha256");
    for (const part of parts) byParts.update(part).update("\u0000");
    assert.equal(sha256(...parts), byParts.digest("hex"));
    assert.equal(sha256(), createHash("sha256").digest("hex"));
    const bytes = Buffer.from([0, 255, 10, 13]);
    assert.equal(sha256Hex(bytes), createHash("sha256").update(bytes).digest("hex"));
    assert.equal(sha256Hex("é"), createHash("sha256").update("é").digest("hex"));
  });

  it("writes keys sorted and leaves undefined members out", () => {
    assert.equal(stableStringify({ b: 1, a: { d: undefined, c: [1, "x"] } }), '{"a":{"c":[1,"x"]},"b":1}');
  });
});
