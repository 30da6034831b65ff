import assert from "node:assert/strict";
import { test } from "node:test";
import { cursorPosition, initialInput } from "../../src/extension/input/inputPrefill";
import { LastInputs } from "../../src/extension/input/lastInputs";
import { withoutSchemaKey, withSchemaKey } from "../../src/extension/input/schemaKey";

test("the input box starts with the last input, else the first test input, else the skeleton", () => {
  assert.deepEqual(initialInput({ last: { city: "Oslo" }, tests: [{ city: "Paris" }], skeleton: { city: "" } }), {
    text: '{"city":"Oslo"}',
    source: "last",
    cursor: 15,
  });
  assert.equal(initialInput({ tests: [{ city: "Paris" }], skeleton: { city: "" } }).source, "test");
  assert.deepEqual(initialInput({ tests: [], skeleton: { city: "", days: 1 } }), {
    text: '{"city":"","days":1}',
    source: "skeleton",
    cursor: 9,
  });
});

test("the cursor goes inside the first empty string, else to the end", () => {
  assert.equal(cursorPosition('{"a":1,"b":""}'), 12);
  assert.equal(cursorPosition('{"a":1}'), 7);
});

/** workspaceState as VS Code gives it: get and update over JSON values. */
class MemoryState {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? JSON.parse(JSON.stringify(this.values.get(key))) : fallback) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

test("last inputs are kept per folder and function, bounded, and huge ones are not stored", async () => {
  const inputs = new LastInputs(new MemoryState());
  await inputs.remember("file:///a", "f", { city: "Oslo" });
  await inputs.remember("file:///b", "f", { city: "Lima" });
  assert.deepEqual(inputs.get("file:///a", "f"), { city: "Oslo" });
  assert.deepEqual(inputs.get("file:///b", "f"), { city: "Lima" });
  await inputs.remember("file:///a", "f", { text: "x".repeat(40_000) });
  assert.deepEqual(inputs.get("file:///a", "f"), { city: "Oslo" }, "a huge input leaves the last small one");
  for (let i = 0; i < 150; i++) await inputs.remember("file:///a", `g${i}`, i);
  assert.equal(inputs.get("file:///a", "f"), undefined, "the oldest entries make room");
  assert.equal(inputs.get("file:///a", "g149"), 149);
});

test("input files may carry $schema: allowed by the schema written beside them, dropped before the run", () => {
  const schema = {
    type: "object",
    properties: { city: { type: "string" } },
    required: ["city"],
    additionalProperties: false,
  };
  assert.deepEqual(withSchemaKey(schema).properties, { $schema: { type: "string" }, city: { type: "string" } });
  assert.deepEqual(withSchemaKey({ type: "string" }), { type: "string" });
  assert.deepEqual(withoutSchemaKey({ $schema: "file:///s.json", city: "Lima" }), { city: "Lima" });
  assert.deepEqual(withoutSchemaKey([1]), [1]);
});
