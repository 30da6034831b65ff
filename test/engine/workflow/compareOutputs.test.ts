import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import type { CompareOptions } from "../../../src/engine/config";
import { workflowError } from "../../../src/engine/errors";
import { toJsonSchema } from "../../../src/engine/jsonSchema";
import { aggregateTestErrors, compareOutputs } from "../../../src/engine/workflow/compareOutputs";
import type { WorkflowStep } from "../../../src/engine/workflow/types";

const strict: CompareOptions = { skipOptionalEmpty: false, ignoreFields: [], ignoreTypes: [] };

const outputSchema = toJsonSchema(
  z.object({
    title: z.string(),
    subtitle: z.string().optional(),
    items: z.array(z.object({ id: z.number().int(), title: z.string(), note: z.string().optional() })),
    meta: z.object({ source: z.string(), tags: z.array(z.string()).optional() }),
    score: z.number(),
  }),
);

const expected = {
  title: "Report",
  items: [
    { id: 1, title: "a" },
    { id: 2, title: "b" },
    { id: 3, title: "c" },
  ],
  meta: { source: "api", tags: [] },
  score: 0.12345,
};

describe("compareOutputs", () => {
  it("finds nothing when outputs are equal", () => {
    assert.deepEqual(compareOutputs(expected, structuredClone(expected), strict), []);
  });

  it("reports value, length, type and missing fields with paths", () => {
    const actual = {
      title: "Report!",
      items: [
        { id: 1, title: "a" },
        { id: "2", title: "b", extra: true },
      ],
      meta: { tags: [] },
      score: 0.12345,
    };
    assert.deepEqual(compareOutputs(expected, actual, strict), [
      { path: "title", kind: "value", expected: "Report", actual: "Report!" },
      { path: "items", kind: "length", expected: 3, actual: 2 },
      { path: "items[1].id", kind: "type", expected: 2, actual: "2" },
      { path: "items[1].extra", kind: "missing_expected", actual: true },
      { path: "meta.source", kind: "missing_actual", expected: "api" },
    ]);
  });

  it("treats integers and other numbers as one type", () => {
    assert.deepEqual(compareOutputs({ n: 1 }, { n: 1.5 }, strict), [
      { path: "n", kind: "value", expected: 1, actual: 1.5 },
    ]);
  });

  it("reports a difference at the root", () => {
    assert.deepEqual(compareOutputs({ a: 1 }, null, strict), [
      { path: "(root)", kind: "type", expected: { a: 1 }, actual: null },
    ]);
  });

  it("skips optional fields when one side is empty, using the schema's required lists", () => {
    const actual = {
      ...structuredClone(expected),
      subtitle: "",
      meta: { source: "api" },
      items: expected.items.map((i) => ({ ...i, note: "x" })),
    };
    const options: CompareOptions = { ...strict, skipOptionalEmpty: true };
    assert.deepEqual(compareOutputs(expected, actual, options, { outputSchema }), []);
    assert.equal(
      compareOutputs(expected, actual, strict, { outputSchema }).length,
      5,
      "subtitle, meta.tags and three notes differ when not skipping",
    );
    const requiredEmpty = compareOutputs(expected, { ...structuredClone(expected), title: "" }, options, {
      outputSchema,
    });
    assert.deepEqual(requiredEmpty, [{ path: "title", kind: "value", expected: "Report", actual: "" }]);
    const withoutSchema = compareOutputs(expected, actual, options);
    assert.ok(withoutSchema.length > 0, "without a schema no field is known to be optional");
  });

  it("still compares optional fields when both sides have values", () => {
    const options: CompareOptions = { ...strict, skipOptionalEmpty: true };
    const diffs = compareOutputs({ ...expected, subtitle: "x" }, { ...expected, subtitle: "y" }, options, {
      outputSchema,
    });
    assert.deepEqual(diffs, [{ path: "subtitle", kind: "value", expected: "x", actual: "y" }]);
  });

  it("rounds floats to the given decimals", () => {
    const actual = { ...structuredClone(expected), score: 0.12312 };
    assert.equal(compareOutputs(expected, actual, strict).length, 1);
    assert.deepEqual(compareOutputs(expected, actual, { ...strict, roundFloats: 3 }), []);
    assert.equal(compareOutputs(expected, actual, { ...strict, roundFloats: 4 }).length, 1);
  });

  it("ignores fields by full path, wildcard path or bare name", () => {
    const actual = structuredClone(expected);
    actual.items[0].title = "A";
    actual.items[2].id = 30;
    actual.meta.source = "cache";
    actual.title = "Other";
    assert.equal(compareOutputs(expected, actual, strict).length, 4);
    const byPath = compareOutputs(expected, actual, { ...strict, ignoreFields: ["items[0].title", "meta.source"] });
    assert.deepEqual(
      byPath.map((d) => d.path),
      ["title", "items[2].id"],
    );
    const byWildcard = compareOutputs(expected, actual, { ...strict, ignoreFields: ["items[].id", "items[].title"] });
    assert.deepEqual(
      byWildcard.map((d) => d.path),
      ["title", "meta.source"],
    );
    const byName = compareOutputs(expected, actual, { ...strict, ignoreFields: ["title", "source"] });
    assert.deepEqual(
      byName.map((d) => d.path),
      ["items[2].id"],
    );
    const wholeArray = compareOutputs(expected, { ...actual, items: [] }, { ...strict, ignoreFields: ["items"] });
    assert.deepEqual(
      wholeArray.map((d) => d.path),
      ["title", "meta.source"],
    );
  });

  it("ignores values by JSON type; number covers integers", () => {
    const actual = structuredClone(expected);
    actual.items[2].id = 30;
    actual.score = 9;
    actual.title = "Other";
    assert.deepEqual(
      compareOutputs(expected, actual, { ...strict, ignoreTypes: ["number"] }).map((d) => d.path),
      ["title"],
    );
    assert.deepEqual(
      compareOutputs(expected, actual, { ...strict, ignoreTypes: ["integer"] }).map((d) => d.path),
      ["title", "score"],
    );
    assert.deepEqual(
      compareOutputs(expected, actual, { ...strict, ignoreTypes: ["string"] }).map((d) => d.path),
      ["items[2].id", "score"],
    );
  });

  it("names the step that produced each differing top-level field", () => {
    const steps: WorkflowStep[] = [
      { id: 1, tool: "fetch_items", toolId: "a", args: {} },
      { id: 2, tool: "score_items", toolId: "b", args: { items: { ref: "1.output.items" } } },
      {
        id: 3,
        tool: "output_model",
        args: {
          title: { template: "Report for {{0.output.topic}}" },
          items: { ref: "1.output.items" },
          meta: { value: { source: "api" } },
          score: { ref: "2.output.total" },
        },
      },
    ];
    const actual = { title: "Other", items: [{ id: 1, title: "z" }], meta: { source: "x" }, score: 1 };
    const diffs = compareOutputs(expected, actual, strict, { outputSchema, steps });
    assert.deepEqual(
      diffs.map((d) => [d.path, d.producedBy]),
      [
        ["title", { step: 0, tool: "input" }],
        ["items", { step: 1, tool: "fetch_items" }],
        ["items[0].title", { step: 1, tool: "fetch_items" }],
        ["meta.source", undefined],
        ["meta.tags", undefined],
        ["score", { step: 2, tool: "score_items" }],
      ],
    );
    const onlyOutputStep = compareOutputs(expected, actual, strict, { outputSchema, outputStep: steps[2] });
    assert.deepEqual(
      onlyOutputStep.filter((d) => d.producedBy).map((d) => [d.path, d.producedBy]),
      [["title", { step: 0, tool: "input" }]],
      "without the other steps only the input is known by name",
    );
  });
});

describe("aggregateTestErrors", () => {
  const unexpected = (n: number) =>
    workflowError("OUTPUTS_UNEXPECTED", "test", `case ${n} differs`, { diffs: [{ path: "x" }] });
  const runner = (n: number) =>
    workflowError("RUNNER", "run", `case ${n}: tool "geocode" failed`, { step: 1, tool: "geocode" });

  it("keeps the kind when every case failed the same way", () => {
    const aggregated = aggregateTestErrors([runner(1), runner(2)]);
    assert.equal(aggregated.kind, "RUNNER");
    assert.equal(aggregated.stage, "test");
    assert.match(aggregated.message, /^2 test case\(s\) failed \(2 RUNNER\); first: case 1: tool "geocode" failed$/);
    assert.equal(aggregated.details?.tool, "geocode");
    assert.deepEqual(aggregated.details?.cases, [runner(1), runner(2)]);
  });

  it("collapses mixed kinds to OUTPUTS_UNEXPECTED with counts", () => {
    const aggregated = aggregateTestErrors([unexpected(1), runner(2), unexpected(3)]);
    assert.equal(aggregated.kind, "OUTPUTS_UNEXPECTED");
    assert.match(aggregated.message, /3 test case\(s\) failed \(2 OUTPUTS_UNEXPECTED, 1 RUNNER\)/);
    assert.deepEqual(aggregated.details?.counts, { OUTPUTS_UNEXPECTED: 2, RUNNER: 1 });
    assert.equal((aggregated.details?.cases as unknown[] | undefined)?.length, 3);
    assert.equal(aggregated.details?.tool, undefined);
  });
});
