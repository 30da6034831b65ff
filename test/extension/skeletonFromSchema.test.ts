import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { toJsonSchema } from "../../src/engine/jsonSchema";
import { skeletonFromSchema } from "../../src/extension/input/skeletonFromSchema";

test("an object skeleton lists every property with an empty value of its type", () => {
  const schema = toJsonSchema(
    z.object({
      city: z.string(),
      days: z.number().int(),
      metric: z.boolean(),
      tags: z.array(z.string()),
      note: z.string().optional(),
    }),
  );
  assert.deepEqual(skeletonFromSchema(schema), { city: "", days: 0, metric: false, tags: [], note: "" });
});

test("defaults, enums and literals are used as the prefilled values", () => {
  const schema = toJsonSchema(
    z.object({ unit: z.enum(["celsius", "fahrenheit"]), count: z.number().default(3), kind: z.literal("daily") }),
  );
  assert.deepEqual(skeletonFromSchema(schema), { unit: "celsius", count: 3, kind: "daily" });
});

test("nested objects, nullable fields and arrays with a minimum length are filled", () => {
  const schema = toJsonSchema(
    z.object({
      place: z.object({ lat: z.number(), lon: z.number() }),
      label: z.string().nullable(),
      points: z.array(z.object({ x: z.number() })).min(2),
    }),
  );
  assert.deepEqual(skeletonFromSchema(schema), { place: { lat: 0, lon: 0 }, label: "", points: [{ x: 0 }, { x: 0 }] });
});

test("local $refs are followed and recursive schemas stop", () => {
  type Node = { name: string; children: Node[] };
  const node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
  const schema = toJsonSchema(z.object({ root: node }));
  assert.deepEqual(skeletonFromSchema(schema), { root: { name: "", children: [] } });
  assert.deepEqual(
    skeletonFromSchema({
      $ref: "#/$defs/point",
      $defs: { point: { type: "object", properties: { x: { type: "integer" } } } },
    }),
    { x: 0 },
  );
});

test("the skeleton of a schema validates when the schema has no further constraints", () => {
  const input = z.object({ city: z.string(), when: z.object({ day: z.number() }), flags: z.array(z.boolean()) });
  assert.equal(input.safeParse(skeletonFromSchema(toJsonSchema(input))).success, true);
});

test("unions take their first non-null branch and unknown schemas give null", () => {
  assert.equal(skeletonFromSchema(toJsonSchema(z.union([z.null(), z.number()]))), 0);
  assert.equal(skeletonFromSchema({}), null);
  assert.deepEqual(
    skeletonFromSchema({
      allOf: [
        { type: "object", properties: { a: { type: "string" } } },
        { type: "object", properties: { b: { type: "number" } } },
      ],
    }),
    { a: "", b: 0 },
  );
});

test("bounds, lengths and formats give a skeleton that passes its own schema", () => {
  const input = z.object({
    days: z.number().int().positive(),
    temperature: z.number().min(-40).max(-10),
    ratio: z.number().gt(0.5).lte(1),
    even: z.number().int().multipleOf(2).min(3),
    city: z.string().min(2),
    email: z.email(),
    site: z.url(),
    id: z.uuid(),
    when: z.iso.datetime(),
    day: z.iso.date(),
    stops: z.array(z.object({ minutes: z.number().int().nonnegative() })).min(1),
  });
  const skeleton = skeletonFromSchema(toJsonSchema(input));
  const parsed = input.safeParse(skeleton);
  assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
  assert.equal((skeleton as { days: number }).days, 1, "a positive integer starts at 1, not 0");
});
