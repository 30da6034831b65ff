import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { z } from "zod";
import { toJsonSchema } from "../../src/engine/jsonSchema";
import { fastJsonSchema, VERIFIED_ZOD_VERSION } from "../../src/engine/jsonSchemaFastPath";

const IOS = ["input", "output"] as const;

function byZod(schema: z.ZodType, io: "input" | "output"): string {
  return JSON.stringify(z.toJSONSchema(schema, { io, unrepresentable: "any" }));
}

/** Schemas as data, so that fast-check can make and print them; `build` turns one into zod. */
type Spec =
  | { kind: "leaf"; leaf: number }
  | { kind: "shared"; index: number }
  | { kind: "object"; fields: [string, Spec][]; mode: "plain" | "strict" | "loose" }
  | { kind: "array"; element: Spec; min: boolean }
  | { kind: "optional" | "nullable" | "readonly"; inner: Spec }
  | { kind: "default"; inner: Spec }
  | { kind: "union"; options: Spec[] }
  | { kind: "described"; inner: Spec; text: string; how: "describe" | "meta" | "title" }
  | { kind: "identified" | "refined"; inner: Spec };

/** Leaves inside the fast path and outside it (checks, formats, several literals, native enums). */
const LEAVES: (() => z.ZodType)[] = [
  () => z.string(),
  () => z.number(),
  () => z.boolean(),
  () => z.null(),
  () => z.unknown(),
  () => z.any(),
  () => z.enum(["red", "green"]),
  () => z.literal("fixed"),
  () => z.literal(7),
  () => z.literal(false),
  () => z.literal(null),
  () => z.string().min(1).max(20),
  () => z.number().int(),
  () => z.number().min(0).max(10),
  () => z.email(),
  () => z.string().regex(/^a+$/),
  () => z.literal(["a", "b"]),
  () => z.literal(-0),
  () => z.enum({ One: 1, Two: 2 }),
  () => z.int(),
  () => z.bigint(),
  () => z.date(),
  () => z.string().length(3),
  () => z.string().trim().toLowerCase(),
  () => z.string().startsWith("a").endsWith("z"),
  () => z.string().regex(/a/).regex(/b/),
  () => z.uuid(),
  () => z.iso.datetime(),
  () => z.url(),
  () => z.number().positive().multipleOf(5),
  () => z.number().gt(1).lt(2).gte(1),
  () => z.number().min(-Infinity),
  () => z.literal(["a", 1, null]),
  () => z.enum(["1", "b", "0"]),
];

const text = fc.constantFrom("A label", "", 'Ünïcode "quoted"', "line\nbreak");
const key = fc.constantFrom("a", "b", "label", "x-y", "constructor", "toString", "0", "");

const specs = fc.letrec<{ spec: Spec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("leaf" as const), leaf: fc.nat(LEAVES.length - 1) }),
    fc.record({ kind: fc.constant("shared" as const), index: fc.nat(2) }),
    fc.record({
      kind: fc.constant("object" as const),
      fields: fc.uniqueArray(fc.tuple(key, tie("spec")), { maxLength: 4, selector: ([name]) => name }),
      mode: fc.constantFrom("plain", "plain", "strict", "loose"),
    }),
    fc.record({ kind: fc.constant("array" as const), element: tie("spec"), min: fc.boolean() }),
    fc.record({ kind: fc.constantFrom("optional", "nullable", "nullable", "readonly"), inner: tie("spec") }),
    fc.record({ kind: fc.constant("default" as const), inner: fc.constant<Spec>({ kind: "leaf", leaf: 0 }) }),
    fc.record({ kind: fc.constant("union" as const), options: fc.array(tie("spec"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constantFrom("identified", "refined"), inner: tie("spec") }),
    fc.record({
      kind: fc.constant("described" as const),
      inner: tie("spec"),
      text,
      how: fc.constantFrom("describe", "describe", "meta", "title"),
    }),
  ),
})).spec;

/** Ids are unique in zod's registry for good: each one made is new. */
let ids = 0;

/** Shared instances: the same zod schema object at several places in one tree, as `const Name = z.string()` makes. */
function build(spec: Spec, shared: z.ZodType[]): z.ZodType {
  switch (spec.kind) {
    case "leaf":
      return LEAVES[spec.leaf]!();
    case "shared":
      return shared[spec.index]!;
    case "object": {
      const shape = Object.fromEntries(spec.fields.map(([name, field]) => [name, build(field, shared)]));
      return spec.mode === "strict"
        ? z.strictObject(shape)
        : spec.mode === "loose"
          ? z.looseObject(shape)
          : z.object(shape);
    }
    case "array": {
      const array = z.array(build(spec.element, shared));
      return spec.min ? array.min(1) : array;
    }
    case "optional":
      return build(spec.inner, shared).optional();
    case "nullable":
      return build(spec.inner, shared).nullable();
    case "readonly":
      return build(spec.inner, shared).readonly();
    case "default":
      return z.string().default("x");
    case "union": {
      const [first, ...rest] = spec.options.map((option) => build(option, shared));
      return rest.length === 0 ? first! : z.union([first!, ...rest]);
    }
    case "identified":
      return build(spec.inner, shared).meta({ id: `Schema${ids++}` });
    case "refined":
      return build(spec.inner, shared).refine(() => true);
    case "described": {
      const inner = build(spec.inner, shared);
      if (spec.how === "describe") return inner.describe(spec.text);
      return spec.how === "meta" ? inner.meta({ description: spec.text }) : inner.meta({ title: spec.text });
    }
  }
}

describe("the JSON Schema fast path", () => {
  it("was checked against the zod installed (update VERIFIED_ZOD_VERSION only after this file passes on a new zod)", () => {
    const { major, minor, patch } = z.core.version;
    assert.deepEqual({ major, minor, patch }, VERIFIED_ZOD_VERSION);
  });

  it("writes what z.toJSONSchema writes, to the byte, for generated schemas in and out of its subset", () => {
    let fast = 0;
    const samples = fc.sample(specs, { seed: 20261203, numRuns: 1500 });
    for (const spec of samples) {
      const shared = [z.string(), z.object({ id: z.number() }), z.string().describe("Shared")];
      const schema = build(spec, shared);
      for (const io of IOS) {
        const direct = fastJsonSchema(schema, io);
        if (direct) fast++;
        const expected = byZod(schema, io);
        assert.equal(JSON.stringify(toJsonSchema(schema, io)), expected, `${io}: ${JSON.stringify(spec)}`);
        if (direct) assert.equal(JSON.stringify(direct), expected, `${io}: ${JSON.stringify(spec)}`);
      }
    }
    // Both sides are exercised: most generated schemas take the fast path, some are zod's.
    assert.ok(fast > samples.length * 0.5 && fast < samples.length * 2, `fast path taken ${fast} times`);
  });

  it("takes the fast path for the schemas declarations are commonly made of", () => {
    const input = z.object({
      city: z.string().describe("The city"),
      days: z.number().optional(),
      units: z.enum(["metric", "imperial"]).nullable(),
      tags: z.array(z.string()),
      exact: z.literal("yes").optional().describe("Whether to be exact"),
      where: z.object({ lat: z.number(), lon: z.number() }).refine(({ lat }) => lat <= 90),
    });
    for (const io of IOS) {
      const converted = fastJsonSchema(input, io);
      assert.ok(converted, io);
      assert.equal(JSON.stringify(converted), byZod(input, io));
    }
    // Leaves with checks are written by zod's processor for their type; a check on an array makes the whole schema zod's.
    const checked = input.extend({
      days: z.number().int().min(1),
      code: z.string().length(3),
      mail: z.email().optional(),
    });
    for (const io of IOS) {
      const converted = fastJsonSchema(checked, io);
      assert.ok(converted, io);
      assert.equal(JSON.stringify(converted), byZod(checked, io));
    }
    assert.equal(fastJsonSchema(input.extend({ tags: z.array(z.string()).min(1) }), "input"), undefined);
  });

  it("leaves to zod what it does not write the same way: cycles, ids, overrides and schemas of another zod", () => {
    const node: z.ZodType = z.object({
      name: z.string(),
      get children() {
        return z.array(node);
      },
    });
    const identified = z.object({ a: z.string() }).meta({ id: "Thing" });
    const overridden = z.string();
    overridden._zod.toJSONSchema = () => ({ type: "string", format: "custom" });
    const foreign = z.object({ a: z.string() });
    Object.defineProperty(foreign._zod, "version", { value: { major: 4, minor: 0, patch: 0 } });
    const copiesOfIdentified = [
      z.object({ a: z.string().meta({ id: "Named" }).describe("d") }),
      z.object({ user: identified.refine(() => true) }),
      z.object({ user: identified.describe("The user").optional() }),
    ];
    for (const schema of [
      node,
      identified,
      z.object({ leaf: z.string().meta({ id: "Leaf" }) }),
      ...copiesOfIdentified,
      overridden,
      foreign,
    ]) {
      assert.equal(fastJsonSchema(schema, "input"), undefined);
      assert.equal(JSON.stringify(toJsonSchema(schema, "input")), byZod(schema, "input"));
    }
  });

  it("returns new objects on every call, so that a caller changing one changes no other", () => {
    const schema = z.object({ a: z.string().nullable(), b: z.enum(["x", "y"]) });
    const first = fastJsonSchema(schema, "output")!;
    const second = fastJsonSchema(schema, "output")!;
    (first.properties as Record<string, Record<string, unknown>>).b!.enum = [];
    assert.deepEqual((second.properties as Record<string, Record<string, unknown>>).b!.enum, ["x", "y"]);
  });
});
