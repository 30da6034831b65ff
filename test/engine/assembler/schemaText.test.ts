import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { schemaToTypeText } from "../../../src/engine/assembler/schemaText";
import { toJsonSchema } from "../../../src/engine/jsonSchema";

test("schemas render as compact TypeScript-like types, with optional fields, enums, arrays and descriptions", () => {
  const schema = toJsonSchema(
    z.object({
      city: z.string().describe("City name"),
      days: z.number().int().optional(),
      unit: z.enum(["c", "f"]),
      items: z.array(z.object({ title: z.string(), score: z.number().nullable() })),
      tags: z.record(z.string(), z.boolean()),
    }),
  );
  assert.equal(
    schemaToTypeText(schema),
    '{city: string /* City name */; days?: integer; unit: "c" | "f"; items: {title: string; score: number | null}[]; tags: Record<string, boolean>}',
  );
});

test("recursive schemas end at a bounded depth", () => {
  interface Node {
    name: string;
    children: Node[];
  }
  const node: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(node) }));
  const text = schemaToTypeText(toJsonSchema(z.object({ root: node })));
  assert.match(text, /unknown/);
  assert.ok(text.length < 2_000);
});

test("a field description never swallows the fields after it, whatever it contains", () => {
  const schema = toJsonSchema(
    z.object({
      lat: z.number().describe("Latitude in degrees // north is positive\nsee */ the docs"),
      lon: z.number(),
      name: z.string().describe("x".repeat(400)),
      country: z.string(),
    }),
  );
  const text = schemaToTypeText(schema);
  assert.doesNotMatch(text, /\n/);
  // Removing every closed comment leaves every field readable.
  assert.equal(text.replace(/ \/\*.*?\*\//g, ""), "{lat: number; lon: number; name: string; country: string}");
  assert.ok(text.length < 300, "long descriptions are cut");
});
