import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  compileArgs,
  evaluateArgs,
  formatReference,
  parseReference,
  parseTemplate,
  renderTemplate,
  resolveReference,
  stepsReadBy,
} from "../../../src/engine/workflow/references";

function parsed(text: string) {
  const result = parseReference(text);
  assert.ok(result.ok, `expected ${text} to parse: ${result.ok ? "" : result.error}`);
  return result.value;
}

describe("parseReference", () => {
  it("parses nested fields and array indexes", () => {
    assert.deepEqual(parsed("2.output.items[0].title"), { step: 2, path: ["items", 0, "title"] });
    assert.deepEqual(parsed("0.output.city"), { step: 0, path: ["city"] });
    assert.deepEqual(parsed("3.output.matrix[1][12]"), { step: 3, path: ["matrix", 1, 12] });
    assert.deepEqual(parsed("12.output.a-b.c_d.$e"), { step: 12, path: ["a-b", "c_d", "$e"] });
  });

  it("parses the whole output and tolerates surrounding whitespace", () => {
    assert.deepEqual(parsed("1.output"), { step: 1, path: [] });
    assert.deepEqual(parsed("  4.output.x  "), { step: 4, path: ["x"] });
  });

  it("round-trips through formatReference", () => {
    for (const text of ["2.output.items[0].title", "1.output", "0.output.a[3][4].b"]) {
      assert.equal(formatReference(parsed(text)), text);
    }
  });

  it("rejects malformed references with a reason", () => {
    const malformed = [
      "",
      "output.city",
      "x.output.city",
      "01.output.city",
      "-1.output.city",
      "1.outputs.city",
      "1.output.",
      "1.output..a",
      "1.output.items[]",
      "1.output.items[-1]",
      "1.output.items[01]",
      "1.output.items[a]",
      "1.output.a b",
      "1.output[0",
      "1.city",
    ];
    for (const text of malformed) {
      const result = parseReference(text);
      assert.equal(result.ok, false, `${JSON.stringify(text)} should not parse`);
      if (!result.ok) assert.ok(result.error.length > 10);
    }
  });

  it("rejects forbidden path segments at parse time", () => {
    for (const text of [
      "0.output.__proto__",
      "1.output.constructor.name",
      "1.output.a.prototype",
      "1.output.a[0].__proto__.x",
    ]) {
      const result = parseReference(text);
      assert.equal(result.ok, false, `${text} should be rejected`);
      if (!result.ok) assert.match(result.error, /not allowed/);
    }
  });
});

describe("resolveReference", () => {
  const outputs: unknown[] = [
    { city: "Paris", tags: [] },
    {
      items: [
        { title: "first", score: 3 },
        { title: "second", score: null },
      ],
      nested: { deep: { value: 42 } },
    },
  ];

  it("resolves nested paths, indexes and whole outputs", () => {
    assert.deepEqual(resolveReference(outputs, parsed("1.output.items[1].title")), { ok: true, value: "second" });
    assert.deepEqual(resolveReference(outputs, parsed("1.output.nested.deep.value")), { ok: true, value: 42 });
    assert.equal((resolveReference(outputs, parsed("0.output")) as { value: unknown }).value, outputs[0]);
  });

  it("reads own properties only", () => {
    const onEmpty = resolveReference([{}], parsed("0.output.toString"));
    assert.equal(onEmpty.ok, false);
    if (!onEmpty.ok) assert.match(onEmpty.error, /has no field "toString"/);
    const inherited = Object.create({ secret: 1 }) as Record<string, unknown>;
    assert.equal(resolveReference([{ a: inherited }], parsed("0.output.a.secret")).ok, false);
    assert.equal(resolveReference([{ s: "text" }], parsed("0.output.s.length")).ok, false);
    assert.equal(resolveReference([{ list: [1, 2] }], parsed("0.output.list.length")).ok, false);
  });

  it("refuses hand-built references with forbidden or invalid segments", () => {
    assert.equal(resolveReference([{}], { step: 0, path: ["__proto__"] }).ok, false);
    assert.equal(resolveReference([{}], { step: 0, path: ["constructor", "prototype"] }).ok, false);
    assert.equal(resolveReference([[1, 2]], { step: 0, path: [-1] }).ok, false);
    assert.equal(resolveReference([[1, 2]], { step: 0, path: [0.5] }).ok, false);
    assert.equal(resolveReference([{}], { step: 3, path: [] }).ok, false);
  });

  it("reports where resolution stopped", () => {
    const outOfRange = resolveReference(outputs, parsed("1.output.items[5].title"));
    assert.ok(!outOfRange.ok);
    assert.match(outOfRange.error, /1\.output\.items has 2 item\(s\); index 5 is out of range/);
    const notObject = resolveReference(outputs, parsed("1.output.items[1].score.value"));
    assert.ok(!notObject.ok);
    assert.match(notObject.error, /1\.output\.items\[1\]\.score is null, not an object/);
    const notArray = resolveReference(outputs, parsed("0.output.city[0]"));
    assert.ok(!notArray.ok);
    assert.match(notArray.error, /is a string, not an array/);
  });

  it("does not treat class instances or functions as data", () => {
    class Holder {
      value = 1;
    }
    assert.equal(resolveReference([{ h: new Holder() }], parsed("0.output.h.value")).ok, false);
    assert.equal(resolveReference([{ f: Object.assign(() => 1, { x: 1 }) }], parsed("0.output.f.x")).ok, false);
  });

  it("leaves Object.prototype untouched when given hostile data", () => {
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": true}, "a": {"constructor": {"prototype": {"polluted": true}}}}',
    ) as unknown;
    const compiled = compileArgs({ x: { ref: "0.output.a" } });
    assert.ok(compiled.ok);
    const built = evaluateArgs(compiled.value, [hostile]);
    assert.ok(built.ok);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(built.value), Object.prototype);
  });
});

describe("templates", () => {
  it("parses text with several references", () => {
    const parts = parseTemplate(
      "Weather in {{0.output.city}}: {{ 1.output.forecast[0].summary }} ({{1.output.temp}}°)",
    );
    assert.ok(parts.ok);
    assert.deepEqual(parts.value, [
      { text: "Weather in " },
      { ref: { step: 0, path: ["city"] } },
      { text: ": " },
      { ref: { step: 1, path: ["forecast", 0, "summary"] } },
      { text: " (" },
      { ref: { step: 1, path: ["temp"] } },
      { text: "°)" },
    ]);
  });

  it("rejects unclosed placeholders, nested braces and bad references", () => {
    assert.equal(parseTemplate("a {{0.output.x").ok, false);
    assert.equal(parseTemplate("a {{ {{0.output.x}} }}").ok, false);
    assert.equal(parseTemplate("a {{city}}").ok, false);
    assert.equal(parseTemplate("a {{0.output.__proto__}}").ok, false);
  });

  it("renders strings as-is, scalars with String() and structures as JSON", () => {
    const parts = parseTemplate("{{0.output.s}}|{{0.output.n}}|{{0.output.b}}|{{0.output.o}}|{{0.output.a}}");
    assert.ok(parts.ok);
    const rendered = renderTemplate(parts.value, [{ s: 'say "hi"', n: 1.5, b: false, o: { k: [1] }, a: ["x", 2] }]);
    assert.deepEqual(rendered, { ok: true, value: 'say "hi"|1.5|false|{"k":[1]}|["x",2]' });
  });

  it("refuses to insert null or undefined", () => {
    const parts = parseTemplate("value: {{0.output.v}}");
    assert.ok(parts.ok);
    const nullValue = renderTemplate(parts.value, [{ v: null }]);
    assert.ok(!nullValue.ok);
    assert.match(nullValue.error, /0\.output\.v is null/);
    const undefinedValue = renderTemplate(parts.value, [{ v: undefined }]);
    assert.ok(!undefinedValue.ok);
    assert.match(undefinedValue.error, /is undefined/);
  });
});

describe("compileArgs / evaluateArgs", () => {
  it("builds args from literals, references and templates", () => {
    const compiled = compileArgs({
      city: { ref: "0.output.city" },
      first: { ref: "1.output.items[0]" },
      units: { value: "metric" },
      label: { template: "{{0.output.city}} #{{1.output.items[0].rank}}" },
    });
    assert.ok(compiled.ok);
    assert.equal(compiled.value.references.length, 4);
    const outputs = [{ city: "Oslo" }, { items: [{ rank: 1, name: "a" }] }];
    const built = evaluateArgs(compiled.value, outputs);
    assert.ok(built.ok);
    assert.deepEqual(built.value, { city: "Oslo", first: { rank: 1, name: "a" }, units: "metric", label: "Oslo #1" });
  });

  it("names the failing arg", () => {
    const compiled = compileArgs({ ok: { value: 1 }, bad: { ref: "0.output.missing" } });
    assert.ok(compiled.ok);
    const built = evaluateArgs(compiled.value, [{}]);
    assert.ok(!built.ok);
    assert.equal(built.error.arg, "bad");
    assert.match(built.error.message, /has no field "missing"/);
  });

  it("rejects malformed args and a __proto__ arg name at compile time", () => {
    assert.equal(compileArgs({ x: { ref: "0.output.constructor" } }).ok, false);
    assert.equal(compileArgs({ x: { template: "{{nope}}" } }).ok, false);
    assert.equal(compileArgs(JSON.parse('{"__proto__": {"value": 1}}') as Record<string, { value: number }>).ok, false);
  });
});

describe("stepsReadBy", () => {
  it("names the step of a reference and of each template placeholder, in order, once", () => {
    assert.deepEqual(stepsReadBy({ ref: "12.output.items[0].title" }), [12]);
    assert.deepEqual(stepsReadBy({ ref: " 0.output " }), [0]);
    assert.deepEqual(stepsReadBy({ template: "{{2.output.a}} {{ 0.output.b }} {{2.output.c}}" }), [2, 0]);
    assert.deepEqual(stepsReadBy({ value: "1.output.x" }), []);
  });

  it("reads nothing from text that only looks like a reference", () => {
    assert.deepEqual(stepsReadBy({ ref: "output.city" }), []);
    assert.deepEqual(stepsReadBy({ ref: "1.outputs.city" }), []);
    assert.deepEqual(stepsReadBy({ ref: "1.output.__proto__" }), []);
    assert.deepEqual(stepsReadBy({ template: "{{bad}} {{3.output.x}}" }), [3]);
    assert.deepEqual(stepsReadBy({ template: "{{3.output.x" }), []);
  });
});
