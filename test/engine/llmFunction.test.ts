import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { LlmFunctionError, workflowError } from "../../src/engine/errors";
import type { FunctionSpec } from "../../src/engine/functionSpec";
import { llmFunction, type FunctionRuntime } from "../../src/engine/llmFunction";
import { err, ok } from "../../src/engine/result";
import type { CallOptions } from "../../src/engine/runtimeTypes";

const declared = llmFunction({
  name: "shout",
  description: "Upper-case a word.",
  input: z.object({ word: z.string() }),
  output: z.object({ loud: z.string() }),
  tests: [{ input: { word: "hi" }, expected: { loud: "HI" } }],
});

/** A runtime that records what it was asked and answers from a script. */
function recordingRuntime(answer: (spec: FunctionSpec, input: unknown) => ReturnType<FunctionRuntime["call"]>) {
  const calls: { spec: FunctionSpec; input: unknown; options: CallOptions | undefined }[] = [];
  const runtime: FunctionRuntime = {
    call: (spec, input, options) => {
      calls.push({ spec, input, options });
      return answer(spec, input);
    },
  };
  return { runtime, calls };
}

test("a declared function exposes its contract as data", () => {
  assert.equal(declared.functionName, "shout");
  assert.equal(declared.description, "Upper-case a word.");
  assert.deepEqual(declared.tests, [{ input: { word: "hi" }, expected: { loud: "HI" } }]);
  const spec = declared.toSpec();
  assert.equal(spec.name, "shout");
  assert.equal((spec.inputSchema.properties as Record<string, unknown>).word !== undefined, true);
  assert.ok(spec.validateInput({ word: "x" }).ok);
  assert.ok(!spec.validateInput({ word: 1 }).ok);
  assert.equal(declared.toSpec("renamed").name, "renamed");
});

test("calling it asks the bound runtime, without a trace, and returns the typed output", async () => {
  const { runtime, calls } = recordingRuntime(async () =>
    ok({ output: { loud: "HI" }, workflow: {} as never, trace: { steps: [], durationMs: 0 }, reused: true }),
  );
  const bound = declared.withRuntime(runtime);
  const output = await bound({ word: "hi" });
  assert.equal(output.loud, "HI");
  assert.equal(calls[0]?.options?.trace, false);
  await bound({ word: "hi" }, { trace: true });
  assert.equal(calls[1]?.options?.trace, true, "a caller may still ask for one");
});

test("a failure throws LlmFunctionError carrying the workflow error", async () => {
  const { runtime } = recordingRuntime(async () => err(workflowError("RUNNER", "run", "tool x failed", { tool: "x" })));
  await assert.rejects(declared.withRuntime(runtime)({ word: "hi" }), (error: unknown) => {
    assert.ok(error instanceof LlmFunctionError);
    assert.equal(error.kind, "RUNNER");
    assert.equal(error.stage, "run");
    assert.deepEqual(error.details, { tool: "x" });
    assert.match(error.message, /^shout: RUNNER at run: tool x failed/);
    return true;
  });
});

test("an unbound function and an empty description are reported clearly", async () => {
  await assert.rejects(
    declared({ word: "hi" }),
    (error: unknown) =>
      error instanceof LlmFunctionError && error.kind === "CONFIG" && /withRuntime/.test(error.message),
  );
  assert.throws(
    () => llmFunction({ description: " ", input: z.object({}), output: z.object({}) }),
    /non-empty description/,
  );
  assert.throws(() => llmFunction({ description: "d", input: z.object({}), output: z.object({}) }).toSpec(), /no name/);
});
