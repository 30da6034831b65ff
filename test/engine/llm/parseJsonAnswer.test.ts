import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJsonAnswer } from "../../../src/engine/llm/parseJsonAnswer";

function parsed(text: string, options?: Parameters<typeof parseJsonAnswer>[1]): unknown {
  const result = parseJsonAnswer(text, options);
  assert.ok(
    result.ok,
    `expected JSON from ${JSON.stringify(text.slice(0, 80))}, got: ${result.ok ? "" : result.error}`,
  );
  return result.value;
}

function problem(text: string, options?: Parameters<typeof parseJsonAnswer>[1]): string {
  const result = parseJsonAnswer(text, options);
  assert.ok(!result.ok, `expected a failure, got ${JSON.stringify(result)}`);
  return result.error;
}

test("plain JSON, with a BOM and whitespace", () => {
  assert.deepEqual(parsed('{"decision": true, "justification": "yes"}'), { decision: true, justification: "yes" });
  assert.deepEqual(parsed('\uFEFF  \n [1, 2, {"a": null}] \n'), [1, 2, { a: null }]);
});

test("a ```json fenced block, with prose around it", () => {
  const answer =
    'Here is the plan:\n```json\n{"steps": [{"name": "output_model", "args": {"x": 1}}]}\n```\nLet me know!';
  assert.deepEqual(parsed(answer), { steps: [{ name: "output_model", args: { x: 1 } }] });
  assert.deepEqual(parsed("```\n[true]\n```"), [true]);
  assert.deepEqual(parsed('```json\n{"unterminated fence": 1}'), { "unterminated fence": 1 });
});

test("prose before and after an unfenced object", () => {
  assert.deepEqual(parsed('Sure. The answer is {"args": {"city": "0.output.city"}} as requested.'), {
    args: { city: "0.output.city" },
  });
});

test("braces and quotes inside strings do not end the object", () => {
  const value = { text: 'a } tricky ] "quoted" \\ {string', nested: { list: ["}", "{", "]"] } };
  assert.deepEqual(parsed(`Result: ${JSON.stringify(value)} -- done }`), value);
});

test("<think> blocks are removed, including one left open at the end", () => {
  assert.deepEqual(parsed('<think>maybe {"decision": false}? no...</think>\n{"decision": true}'), { decision: true });
  assert.deepEqual(parsed('{"decision": true}<THINK>trailing thoughts { never closed'), { decision: true });
  assert.match(problem("<think>only thinking, no answer"), /empty/);
});

test("a bracketed aside before the JSON is skipped", () => {
  assert.deepEqual(parsed('I used {two tools} for this: {"steps": []}'), { steps: [] });
  assert.deepEqual(parsed('Step [1]: {"steps": []}', { expect: "object" }), { steps: [] });
});

test("a stray unclosed brace before the JSON is skipped", () => {
  assert.deepEqual(parsed('Note { this brace never closes. {"decision": true}'), { decision: true });
});

test("garbage and broken JSON say what was wrong", () => {
  assert.match(problem("I cannot help with that."), /holds no JSON object or array/);
  assert.match(problem('{"steps": [1, 2,]}'), /JSON is invalid/);
  assert.match(problem('{"steps": [1, 2'), /never closed/);
  assert.match(problem("   "), /empty/);
  assert.match(problem('"just a string"', { expect: "object" }), /no JSON object/);
});

test("broken JSON is reported, not replaced by a valid fragment inside it", () => {
  assert.match(problem('{"steps": [{"name": "a", "args": {}},]}'), /JSON is invalid/);
});

// How fast these are is a benchmark's business; here they must end in a problem, not a crash or a hang.
test("a huge answer is refused, and pathological input under the cap is reported as a problem", () => {
  const huge = `{"a": "${"x".repeat(300_000)}"}`;
  assert.ok(problem(huge).includes(`too long (${huge.length} characters; at most 200000`));
  assert.match(problem('{"a": 1}', { maxChars: 5 }), /too long/);

  for (const pathological of [
    "{".repeat(199_000),
    "[".repeat(50_000) + "]".repeat(40_000),
    "<think>".repeat(28_000),
    "{a} ".repeat(45_000),
  ]) {
    assert.ok(problem(pathological).length > 0);
  }
});

test('{"__proto__": ...} stays a plain own key and pollutes nothing', () => {
  const value = parsed(
    'Answer: {"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
  ) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.ok(Object.hasOwn(value, "__proto__"));
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, { polluted: true });
});
