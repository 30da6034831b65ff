import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import { toJsonSchema, type JsonValue } from "../../../src/engine/jsonSchema";
import { tool } from "../../../src/engine/tools/tool";
import {
  adaptPlannedStep,
  interpretPlannedArg,
  type AdaptContext,
  type AdaptProblem,
  type EarlierStep,
} from "../../../src/engine/workflow/adaptPlannedStep";
import type { StepArg } from "../../../src/engine/workflow/types";

const inputSchema = toJsonSchema(z.object({ city: z.string(), days: z.number().int(), lang: z.string().optional() }));

const geocode = tool(
  {
    name: "geocode",
    description: "Finds coordinates of a city.",
    input: z.object({ city: z.string() }),
    output: z.object({ lat: z.number(), lon: z.number(), name: z.string() }),
  },
  ({ city }) => ({ lat: 1, lon: 2, name: city }),
);

const forecast = tool(
  {
    name: "forecast",
    description: "Daily forecast at coordinates.",
    input: z.object({ lat: z.number(), lon: z.number(), days: z.number().int().default(3) }),
    output: z.object({
      items: z.array(z.object({ day: z.string(), summary: z.string(), tempC: z.number() })),
      station: z.object({ id: z.string(), elevation: z.number().nullable() }).nullable(),
    }),
  },
  ({ days }) => ({
    items: Array.from({ length: days }, (_, i) => ({ day: `d${i}`, summary: "sun", tempC: 20 })),
    station: null,
  }),
);

const report = tool(
  {
    name: "report",
    description: "Writes a report.",
    input: z.strictObject({
      title: z.string(),
      temperature: z.number(),
      unit: z.enum(["C", "F"]).default("C"),
      tags: z.array(z.string()).optional(),
    }),
    output: z.object({ text: z.string() }),
  },
  ({ title }) => ({ text: title }),
);

const earlier: EarlierStep[] = [
  { id: 0, name: "input", outputSchema: inputSchema },
  { id: 1, name: "geocode", outputSchema: geocode.outputSchema },
  { id: 2, name: "forecast", outputSchema: forecast.outputSchema },
];

function contextFor(stepId: number, targetSchema = report.inputSchema): AdaptContext {
  return { stepId, earlierSteps: earlier.slice(0, stepId), targetSchema };
}

function adapted(name: string, args: Record<string, JsonValue>, context: AdaptContext): Record<string, StepArg> {
  const result = adaptPlannedStep({ name, args }, context);
  assert.ok(result.ok, `expected adaptation to succeed: ${result.ok ? "" : JSON.stringify(result.error)}`);
  return result.value;
}

function problems(name: string, args: Record<string, JsonValue>, context: AdaptContext): AdaptProblem[] {
  const result = adaptPlannedStep({ name, args }, context);
  assert.ok(!result.ok, "expected adaptation to fail");
  return result.error;
}

describe("adaptPlannedStep: reference syntax", () => {
  it("normalises tool names, input_model, source: prefixes and {{ }} wrappers to step numbers", () => {
    const args = adapted(
      "forecast",
      { lat: "source: geocode.output.lat", lon: "{{ geocode.output.lon }}", days: "input_model.output.days" },
      contextFor(2, forecast.inputSchema),
    );
    assert.deepEqual(args, {
      lat: { ref: "1.output.lat" },
      lon: { ref: "1.output.lon" },
      days: { ref: "0.output.days" },
    });
  });

  it("accepts step numbers and `input` as step 0", () => {
    const args = adapted("geocode", { city: "input.output.city" }, contextFor(1, geocode.inputSchema));
    assert.deepEqual(args, { city: { ref: "0.output.city" } });
    const numbered = adapted(
      "forecast",
      { lat: "1.output.lat", lon: "{{1.output.lon}}" },
      contextFor(2, forecast.inputSchema),
    );
    assert.deepEqual(numbered, { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" } });
  });

  it("uses the latest earlier step of a tool name", () => {
    const twice: AdaptContext = {
      stepId: 3,
      earlierSteps: [earlier[0], earlier[1], { id: 2, name: "geocode", outputSchema: geocode.outputSchema }],
      targetSchema: forecast.inputSchema,
    };
    const args = adapted("forecast", { lat: "geocode.output.lat", lon: "1.output.lon" }, twice);
    assert.deepEqual(args, { lat: { ref: "2.output.lat" }, lon: { ref: "1.output.lon" } });
  });

  it("follows nested paths through arrays", () => {
    const args = adapted(
      "report",
      { title: "forecast.output.items[0].summary", temperature: "source: forecast.output.items[2].tempC" },
      contextFor(3),
    );
    assert.deepEqual(args, {
      title: { ref: "2.output.items[0].summary" },
      temperature: { ref: "2.output.items[2].tempC" },
    });
  });

  it("turns text embedding references into a template with step numbers", () => {
    const args = adapted(
      "report",
      { title: "Weather in {{input_model.output.city}}: {{ forecast.output.items[0].summary }}", temperature: 21.5 },
      contextFor(3),
    );
    assert.deepEqual(args, {
      title: { template: "Weather in {{0.output.city}}: {{2.output.items[0].summary}}" },
      temperature: { value: 21.5 },
    });
  });

  it("keeps literals as planned", () => {
    const args = adapted(
      "report",
      { title: "Daily report", temperature: 3, unit: "F", tags: ["a", "b"] },
      contextFor(3),
    );
    assert.deepEqual(args, {
      title: { value: "Daily report" },
      temperature: { value: 3 },
      unit: { value: "F" },
      tags: { value: ["a", "b"] },
    });
  });
});

describe("adaptPlannedStep: problems", () => {
  it("rejects a self-reference", () => {
    const [problem] = problems("geocode", { city: "1.output.name" }, contextFor(1, geocode.inputSchema));
    assert.equal(problem.arg, "city");
    assert.match(problem.message, /cannot use its own output/);
  });

  it("rejects a forward reference, by number or by name", () => {
    const [byNumber] = problems("geocode", { city: "2.output.items" }, contextFor(1, geocode.inputSchema));
    assert.match(byNumber.message, /step 2 runs after this step \(step 1\)/);
    const [byName] = problems("geocode", { city: "source: forecast.output.items" }, contextFor(1, geocode.inputSchema));
    assert.match(byName.message, /no step before this one \(step 1\) runs "forecast"; use 0 \(input\)/);
  });

  it("reports a missing field with what the step does output", () => {
    const [problem] = problems(
      "geocode",
      { city: "geocode.output.town" },
      {
        stepId: 2,
        earlierSteps: earlier.slice(0, 2),
        targetSchema: geocode.inputSchema,
      },
    );
    assert.equal(
      problem.message,
      'arg "city": 1.output.town does not exist; step 1 (geocode) outputs an object with fields: lat (number), lon (number), name (string)',
    );
  });

  it("explains a missing nested field at the deepest level that exists", () => {
    const [inItem] = problems("report", { title: "forecast.output.items[0].text", temperature: 1 }, contextFor(3));
    assert.match(
      inItem.message,
      /2\.output\.items\[0\]\.text does not exist; 2\.output\.items\[0\] is an object with fields: day \(string\), summary \(string\), tempC \(number\)/,
    );
    const [noIndex] = problems("report", { title: "forecast.output.items.summary", temperature: 1 }, contextFor(3));
    assert.match(noIndex.message, /2\.output\.items is an array; index it, e.g\. 2\.output\.items\[0\]/);
  });

  it("reports a type mismatch", () => {
    const [problem] = problems("report", { title: "Report", temperature: "geocode.output.name" }, contextFor(3));
    assert.equal(problem.message, 'arg "temperature": 1.output.name is string but the field expects number');
    const [whole] = problems("report", { title: "forecast.output", temperature: 1 }, contextFor(3));
    assert.match(whole.message, /2\.output is object but the field expects string/);
  });

  it("accepts integer into number and a nullable source", () => {
    const args = adapted(
      "report",
      { title: "forecast.output.station.id", temperature: "input.output.days" },
      contextFor(3),
    );
    assert.deepEqual(args, { title: { ref: "2.output.station.id" }, temperature: { ref: "0.output.days" } });
  });

  it("reports missing required fields but not optional or defaulted ones", () => {
    const found = problems("report", { tags: [] }, contextFor(3));
    assert.deepEqual(
      found.map((p) => p.message),
      [
        'arg "title": required field "title" (string) is missing',
        'arg "temperature": required field "temperature" (number) is missing',
      ],
    );
  });

  it("reports unknown fields with the fields the target has", () => {
    const [problem] = problems("report", { title: "T", temperature: 1, colour: "red" }, contextFor(3));
    assert.equal(problem.arg, "colour");
    assert.match(
      problem.message,
      /the input of tool "report" has no field "colour"; its fields are: title \(string\), temperature \(number\), unit \(string\), tags \(array\)/,
    );
  });

  it("checks literals against the field's JSON types and enum", () => {
    const found = problems("report", { title: 12, temperature: "warm", unit: "K" }, contextFor(3));
    assert.deepEqual(
      found.map((p) => p.message),
      [
        'arg "title": the literal 12 is integer but the field expects string',
        'arg "temperature": the literal "warm" is string but the field expects number',
        'arg "unit": the literal "K" is not one of "C", "F"',
      ],
    );
  });

  it("rejects a template for a non-string target", () => {
    const [problem] = problems("report", { title: "T", temperature: "{{geocode.output.lat}} degrees" }, contextFor(3));
    assert.match(problem.message, /a template produces text but the field expects number/);
  });

  it("checks every reference inside a template", () => {
    const [problem] = problems(
      "report",
      { title: "{{input.output.city}} / {{geocode.output.town}}", temperature: 1 },
      contextFor(3),
    );
    assert.match(problem.message, /1\.output\.town does not exist/);
  });

  it("rejects malformed and forbidden references, and unknown step names", () => {
    const found = problems(
      "report",
      { title: "source: input.output.__proto__", temperature: "geocoder.output.lat", tags: "source: nothing here" },
      contextFor(3),
    );
    assert.match(found[0].message, /"__proto__" is not allowed/);
    assert.match(found[1].message, /no step before this one \(step 3\) runs "geocoder"/);
    assert.match(found[2].message, /is not a reference/);
  });

  it("checks the output_model step against the function's output schema", () => {
    const outputSchema = toJsonSchema(z.object({ city: z.string(), tempC: z.number(), note: z.string().optional() }));
    const context: AdaptContext = {
      stepId: 4,
      earlierSteps: [...earlier, { id: 3, name: "report", outputSchema: report.outputSchema }],
      targetSchema: outputSchema,
    };
    const args = adapted(
      "output_model",
      { city: "input_model.output.city", tempC: "forecast.output.items[0].tempC", note: "report.output.text" },
      context,
    );
    assert.deepEqual(args, {
      city: { ref: "0.output.city" },
      tempC: { ref: "2.output.items[0].tempC" },
      note: { ref: "3.output.text" },
    });
    const [problem] = problems("output_model", { city: "x", tempC: 1, extra: 2 }, context);
    assert.match(problem.message, /the function output has no field "extra"/);
  });
});

describe("interpretPlannedArg", () => {
  it("reinterprets an LLM adaptor's answer in the same syntax", () => {
    const context = contextFor(3);
    assert.deepEqual(interpretPlannedArg("  source: forecast.output.items[1].day ", context), {
      ok: true,
      value: { ref: "2.output.items[1].day" },
    });
    assert.deepEqual(interpretPlannedArg({ nested: "1.output.lat" }, context), {
      ok: true,
      value: { value: { nested: "1.output.lat" } },
    });
    assert.deepEqual(interpretPlannedArg("plain text", context), { ok: true, value: { value: "plain text" } });
    assert.equal(interpretPlannedArg("{{ unclosed", context).ok, false);
  });
});
