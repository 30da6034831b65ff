import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { toJsonSchema, type JsonSchema } from "../../../src/engine/jsonSchema";
import { jsonTypesOf, objectShape, schemaAtPath, typesCompatible } from "../../../src/engine/workflow/schemaAtPath";

const item = z.object({ title: z.string(), score: z.number().int(), note: z.string().optional() });
const node: z.ZodType = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
const schema = toJsonSchema(
  z.object({
    city: z.string(),
    maybe: z.string().nullable(),
    items: z.array(item),
    best: item.nullable(),
    pair: z.tuple([z.string(), z.number()]),
    kind: z.enum(["a", "b"]),
    three: z.literal(3),
    either: z.union([z.string(), z.number()]),
    scores: z.record(z.string(), z.number()),
    tree: node,
    anything: z.unknown(),
    both: z.intersection(z.object({ p: z.string() }), z.object({ q: z.number() })),
    withDefault: z.number().default(2),
  }),
);

function typesAt(path: (string | number)[]): string {
  const found = schemaAtPath(schema, path);
  assert.ok(found, `no schema at ${path.join(".")}`);
  const types = jsonTypesOf(found, schema);
  return types === "any" ? "any" : [...types].sort().join(",");
}

describe("schemaAtPath", () => {
  it("follows properties, items and prefixItems", () => {
    assert.equal(typesAt([]), "object");
    assert.equal(typesAt(["city"]), "string");
    assert.equal(typesAt(["items"]), "array");
    assert.equal(typesAt(["items", 4]), "object");
    assert.equal(typesAt(["items", 0, "score"]), "integer");
    assert.equal(typesAt(["pair", 0]), "string");
    assert.equal(typesAt(["pair", 1]), "number");
    assert.equal(schemaAtPath(schema, ["pair", 2]), undefined);
  });

  it("picks the branch of a nullable union that has the path", () => {
    assert.equal(typesAt(["best"]), "null,object");
    assert.equal(typesAt(["best", "title"]), "string");
    assert.equal(typesAt(["maybe"]), "null,string");
  });

  it("follows local $refs, including recursive ones", () => {
    assert.equal(typesAt(["tree", "children", 0, "children", 1, "name"]), "string");
    assert.equal(schemaAtPath(schema, ["tree", "missing"]), undefined);
    const legacy = {
      definitions: { P: { type: "object", properties: { x: { type: "boolean" } } } },
      $ref: "#/definitions/P",
    };
    assert.deepEqual(schemaAtPath(legacy, ["x"]), { type: "boolean" });
    assert.equal(schemaAtPath({ $ref: "#" }, ["x"]), undefined, "a self-referencing $ref terminates");
  });

  it("reads enum, const, unions, records, intersections and unconstrained values", () => {
    assert.equal(typesAt(["kind"]), "string");
    assert.equal(typesAt(["three"]), "number");
    assert.equal(typesAt(["either"]), "number,string");
    assert.equal(typesAt(["scores", "anyKey"]), "number");
    assert.equal(typesAt(["both", "q"]), "number");
    assert.equal(typesAt(["anything"]), "any");
    assert.equal(typesAt(["anything", "deep", 0]), "any");
    assert.deepEqual(jsonTypesOf({ const: 3 }), new Set(["integer"]));
    assert.deepEqual(jsonTypesOf({ enum: ["a", 1, null] }), new Set(["string", "integer", "null"]));
    assert.deepEqual(
      jsonTypesOf({ allOf: [{ type: ["number", "string"] }, { type: "integer" }] }),
      new Set(["integer"]),
    );
    assert.deepEqual(jsonTypesOf({ allOf: [{ type: "string" }, {}] }), new Set(["string"]));
  });

  it("returns undefined for paths that do not exist", () => {
    assert.equal(schemaAtPath(schema, ["town"]), undefined);
    assert.equal(schemaAtPath(schema, ["city", "x"]), undefined);
    assert.equal(schemaAtPath(schema, ["city", 0]), undefined);
    assert.equal(schemaAtPath(schema, ["items", "title"]), undefined);
  });
});

describe("type compatibility", () => {
  it("accepts integer where number is expected, not the reverse", () => {
    assert.equal(typesCompatible(new Set(["integer"]), new Set(["number"])), true);
    assert.equal(typesCompatible(new Set(["number"]), new Set(["integer"])), false);
    assert.equal(typesCompatible(new Set(["string"]), new Set(["number"])), false);
  });

  it("accepts any on either side and tolerates nullable sources", () => {
    assert.equal(typesCompatible("any", new Set(["number"])), true);
    assert.equal(typesCompatible(new Set(["object"]), "any"), true);
    assert.equal(typesCompatible(new Set(["string", "null"]), new Set(["string"])), true);
    assert.equal(typesCompatible(new Set(["null"]), new Set(["string"])), false);
    assert.equal(typesCompatible(new Set(["string", "number"]), new Set(["string"])), false);
  });
});

describe("object shape", () => {
  it("lists required and declared fields of zod schemas", () => {
    assert.deepEqual(objectShape(schema).required.includes("withDefault"), false);
    assert.deepEqual(objectShape(schema).required.includes("city"), true);
    assert.equal(Object.keys(objectShape(schema).properties).length, 13);
    const best = schemaAtPath(schema, ["best"]);
    assert.ok(best);
    assert.deepEqual(objectShape(best, schema).required, ["title", "score"]);
    assert.deepEqual(Object.keys(objectShape(best, schema).properties), ["title", "score", "note"]);
    const both = schemaAtPath(schema, ["both"]);
    assert.ok(both);
    assert.deepEqual(objectShape(both, schema).required.sort(), ["p", "q"]);
  });

  it("merges allOf members and keeps only fields every union branch requires", () => {
    const merged: JsonSchema = {
      allOf: [
        { properties: { a: {} }, required: ["a"] },
        { properties: { b: {} }, required: ["b"] },
      ],
    };
    assert.deepEqual(objectShape(merged).required, ["a", "b"]);
    const union = toJsonSchema(
      z.union([z.object({ a: z.string(), b: z.string() }), z.object({ a: z.string(), c: z.number() })]),
    );
    assert.deepEqual(objectShape(union).required, ["a"]);
    assert.deepEqual(Object.keys(objectShape(union).properties), ["a", "b", "c"]);
  });
});
