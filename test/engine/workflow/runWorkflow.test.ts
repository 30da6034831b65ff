import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import type { WorkflowError } from "../../../src/engine/errors";
import type { Result } from "../../../src/engine/result";
import { tool, validateWith, type Tool } from "../../../src/engine/tools/tool";
import {
  compileWorkflow,
  type RunOptions,
  type RunResult,
  type ToolLookup,
} from "../../../src/engine/workflow/runWorkflow";
import type { WorkflowStep } from "../../../src/engine/workflow/types";

/** Compile, then run: a compile error comes back the same way as a run error. */
async function runWorkflow(
  steps: WorkflowStep[],
  tools: ToolLookup,
  input: unknown,
  options: RunOptions,
): Promise<Result<RunResult, WorkflowError>> {
  const compiled = compileWorkflow(steps, tools);
  return compiled.ok ? compiled.value.run(input, options) : compiled;
}

const geocode = tool(
  {
    name: "geocode",
    description: "Finds coordinates of a city.",
    input: z.object({ city: z.string().min(1) }),
    output: z.object({ lat: z.number(), lon: z.number(), name: z.string() }),
  },
  ({ city }) => {
    if (city === "Atlantis") throw new Error(`unknown city ${city}`);
    return { lat: city.length, lon: -city.length, name: city.toUpperCase() };
  },
);

const forecast = tool(
  {
    name: "forecast",
    description: "Daily forecast at coordinates.",
    input: z.object({ lat: z.number(), lon: z.number(), days: z.number().int().min(1) }),
    output: z.object({ items: z.array(z.object({ day: z.string(), tempC: z.number() })) }),
  },
  async ({ lat, days }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { items: Array.from({ length: days }, (_, i) => ({ day: `day${i + 1}`, tempC: lat + i })) };
  },
);

const failingAsync = tool(
  { name: "flaky", description: "Always rejects.", input: z.object({}), output: z.object({ x: z.number() }) },
  async () => Promise.reject(new Error("service unavailable")),
);

const lying = tool(
  { name: "lying", description: "Returns the wrong shape.", input: z.object({}), output: z.object({ x: z.number() }) },
  () => ({ x: "not a number" }) as unknown as { x: number },
);

const hanging = tool(
  {
    name: "hanging",
    description: "Never finishes and ignores its signal.",
    input: z.object({}),
    output: z.object({ x: z.number() }),
  },
  () => new Promise<{ x: number }>(() => undefined),
);

const allTools: Tool[] = [geocode, forecast, failingAsync, lying, hanging];
const lookup: ToolLookup = {
  byId: (id) => allTools.find((t) => t.id === id),
  byName: (name) => allTools.find((t) => t.name === name),
};

const summarySchema = z.object({
  city: z.string(),
  firstTemp: z.number(),
  headline: z.string(),
  days: z.array(z.string()),
});
const validateSummary = (value: unknown) => validateWith(summarySchema, value);

const happySteps: WorkflowStep[] = [
  { id: 1, tool: "geocode", toolId: geocode.id, args: { city: { ref: "0.output.city" } } },
  {
    id: 2,
    tool: "forecast",
    toolId: forecast.id,
    args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" }, days: { ref: "0.output.days" } },
  },
  {
    id: 3,
    tool: "output_model",
    args: {
      city: { ref: "1.output.name" },
      firstTemp: { ref: "2.output.items[0].tempC" },
      headline: { template: "{{1.output.name}}: {{2.output.items[1].tempC}}°C on {{2.output.items[1].day}}" },
      days: { value: ["mon", "tue"] },
    },
  },
];

function failure(result: Result<RunResult, WorkflowError>): WorkflowError {
  assert.ok(!result.ok, `expected the run to fail, got ${JSON.stringify(result.ok && result.value.output)}`);
  return result.error;
}

function withStep(steps: WorkflowStep[], index: number, change: Partial<WorkflowStep>): WorkflowStep[] {
  return steps.map((step, i) => (i === index ? { ...step, ...change } : step));
}

describe("runWorkflow", () => {
  it("runs three steps with nested and template references", async () => {
    const result = await runWorkflow(
      happySteps,
      lookup,
      { city: "Oslo", days: 2 },
      { validateOutput: validateSummary },
    );
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.deepEqual(result.value.output, {
      city: "OSLO",
      firstTemp: 4,
      headline: "OSLO: 5°C on day2",
      days: ["mon", "tue"],
    });
    assert.deepEqual(result.value.trace.steps, [], "no step trace unless asked");
    assert.ok(result.value.trace.durationMs >= 0);
  });

  it("records per-step inputs, outputs and durations when tracing", async () => {
    const result = await runWorkflow(
      happySteps,
      lookup,
      { city: "Rome", days: 2 },
      { validateOutput: validateSummary, trace: true },
    );
    assert.ok(result.ok);
    const steps = result.value.trace.steps;
    assert.deepEqual(
      steps.map((s) => [s.step, s.tool]),
      [
        [1, "geocode"],
        [2, "forecast"],
        [3, "output_model"],
      ],
    );
    assert.deepEqual(steps[0].input, { city: "Rome" });
    assert.deepEqual(steps[0].output, { lat: 4, lon: -4, name: "ROME" });
    assert.deepEqual(steps[1].input, { lat: 4, lon: -4, days: 2 });
    assert.deepEqual(steps[2].output, result.value.output);
    assert.ok(steps.every((s) => s.durationMs >= 0));
    assert.ok(steps[1].durationMs >= 2, "the async forecast step waited on a 5 ms timer");
  });

  it("compiles once and runs many times", async () => {
    const compiled = compileWorkflow(happySteps, lookup);
    assert.ok(compiled.ok);
    for (const [city, days] of [
      ["Lima", 2],
      ["Kyiv", 3],
    ] as const) {
      const result = await compiled.value.run({ city, days }, { validateOutput: validateSummary });
      assert.ok(result.ok);
      assert.equal((result.value.output as { city: string }).city, city.toUpperCase());
    }
  });

  it("reports a tool id missing from the toolset as PLANNING_HF", async () => {
    const changed = withStep(happySteps, 1, { toolId: "0".repeat(64) });
    const error = failure(
      await runWorkflow(changed, lookup, { city: "Oslo", days: 2 }, { validateOutput: validateSummary }),
    );
    assert.equal(error.kind, "PLANNING_HF");
    assert.equal(error.stage, "run");
    assert.deepEqual(error.details, { step: 2, tool: "forecast", toolId: "0".repeat(64) });
    assert.match(error.message, /tool "forecast", but its contract \(description or schemas\) has changed/);
    const gone = compileWorkflow(withStep(happySteps, 0, { tool: "vanished", toolId: "f".repeat(64) }), {
      byId: () => undefined,
    });
    assert.ok(!gone.ok);
    assert.equal(gone.error.kind, "PLANNING_HF");
    assert.match(gone.error.message, /no tool with id ffffffffffff is available/);
  });

  it("reports an unresolvable reference as INPUTS", async () => {
    const tooShort = await runWorkflow(
      happySteps,
      lookup,
      { city: "Oslo", days: 1 },
      { validateOutput: validateSummary },
    );
    const error = failure(tooShort);
    assert.equal(error.kind, "INPUTS");
    assert.deepEqual(error.details, { step: 3, tool: "output_model", arg: "headline" });
    assert.match(error.message, /2\.output\.items has 1 item\(s\); index 1 is out of range/);
    const missingInput = failure(
      await runWorkflow(happySteps, lookup, { days: 1 }, { validateOutput: validateSummary }),
    );
    assert.equal(missingInput.kind, "INPUTS");
    assert.deepEqual(missingInput.details, { step: 1, tool: "geocode", arg: "city" });
  });

  it("refuses references to the same or a later step before running anything", () => {
    const forward = withStep(happySteps, 0, { args: { city: { ref: "2.output.items[0].day" } } });
    const compiled = compileWorkflow(forward, lookup);
    assert.ok(!compiled.ok);
    assert.equal(compiled.error.kind, "INPUTS");
    assert.deepEqual(compiled.error.details, { step: 1, tool: "geocode", reference: "2.output.items[0].day" });
    const self = compileWorkflow(withStep(happySteps, 1, { args: { lat: { ref: "2.output.items" } } }), lookup);
    assert.ok(!self.ok);
    assert.match(
      self.error.message,
      /Step 2 \(forecast\) uses 2\.output\.items, which is not the output of an earlier step/,
    );
    const malformed = compileWorkflow(
      withStep(happySteps, 0, { args: { city: { ref: "0.output.__proto__" } } }),
      lookup,
    );
    assert.ok(!malformed.ok);
    assert.equal(malformed.error.kind, "INPUTS");
  });

  it("reports a workflow without an output_model step", () => {
    const compiled = compileWorkflow(happySteps.slice(0, 2), lookup);
    assert.ok(!compiled.ok);
    assert.equal(compiled.error.kind, "PLANNING_MISSOUTPUT");
  });

  it("reports tool input that fails the tool's schema as ADAPTOR_JSON with issues", async () => {
    const steps = withStep(happySteps, 1, {
      args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.name" }, days: { value: 0 } },
    });
    const error = failure(
      await runWorkflow(steps, lookup, { city: "Oslo", days: 2 }, { validateOutput: validateSummary }),
    );
    assert.equal(error.kind, "ADAPTOR_JSON");
    assert.equal(error.details?.step, 2);
    assert.equal(error.details?.tool, "forecast");
    const issues = error.details?.issues as { path: (string | number)[] }[];
    assert.deepEqual(issues.map((i) => i.path).sort(), [["days"], ["lon"]]);
    assert.match(error.message, /the input built for tool "forecast" is invalid: .*lon/);
  });

  it("reports a tool that throws as RUNNER naming the tool and the thrown message", async () => {
    const error = failure(
      await runWorkflow(happySteps, lookup, { city: "Atlantis", days: 2 }, { validateOutput: validateSummary }),
    );
    assert.equal(error.kind, "RUNNER");
    assert.equal(error.stage, "run");
    assert.equal(error.message, 'Step 1: tool "geocode" failed: unknown city Atlantis');
    assert.deepEqual(error.details, { step: 1, tool: "geocode", toolId: geocode.id, error: "unknown city Atlantis" });
  });

  it("reports a tool that rejects as RUNNER", async () => {
    const steps: WorkflowStep[] = [
      { id: 1, tool: "flaky", toolId: failingAsync.id, args: {} },
      { id: 2, tool: "output_model", args: { x: { ref: "1.output.x" } } },
    ];
    const error = failure(await runWorkflow(steps, lookup, {}, { validateOutput: (v) => ({ ok: true, value: v }) }));
    assert.equal(error.kind, "RUNNER");
    assert.match(error.message, /tool "flaky" failed: service unavailable/);
  });

  it("reports tool output that fails the tool's output schema as RUNNER", async () => {
    const steps: WorkflowStep[] = [
      { id: 1, tool: "lying", toolId: lying.id, args: {} },
      { id: 2, tool: "output_model", args: { x: { ref: "1.output.x" } } },
    ];
    const error = failure(
      await runWorkflow(steps, lookup, {}, { validateOutput: (v) => ({ ok: true, value: v }), trace: true }),
    );
    assert.equal(error.kind, "RUNNER");
    assert.match(error.message, /tool "lying" returned output that does not match its output schema: x: /);
    assert.equal(error.details?.tool, "lying");
    const trace = error.details?.trace as { steps: { step: number; output: unknown; error?: WorkflowError }[] };
    assert.deepEqual(trace.steps[0].output, { x: "not a number" });
    assert.equal(trace.steps[0].error?.kind, "RUNNER");
  });

  it("reports a built output that fails validation as OUTPUTS_FAILURE", async () => {
    const steps = withStep(happySteps, 2, {
      args: { ...happySteps[2].args, firstTemp: { ref: "2.output.items[0].day" } },
    });
    const error = failure(
      await runWorkflow(steps, lookup, { city: "Oslo", days: 2 }, { validateOutput: validateSummary }),
    );
    assert.equal(error.kind, "OUTPUTS_FAILURE");
    assert.equal(error.details?.step, 3);
    const issues = error.details?.issues as { path: (string | number)[] }[];
    assert.deepEqual(
      issues.map((i) => i.path),
      [["firstTemp"]],
    );
  });

  it("is CANCELLED when the signal has already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = failure(
      await runWorkflow(
        happySteps,
        lookup,
        { city: "Oslo", days: 2 },
        { validateOutput: validateSummary, signal: controller.signal },
      ),
    );
    assert.equal(error.kind, "CANCELLED");
    assert.equal(error.stage, "run");
  });

  it("is CANCELLED while a tool hangs", async () => {
    const steps: WorkflowStep[] = [
      { id: 1, tool: "hanging", toolId: hanging.id, args: {} },
      { id: 2, tool: "output_model", args: { x: { ref: "1.output.x" } } },
    ];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = failure(
      await runWorkflow(
        steps,
        lookup,
        {},
        { validateOutput: (v) => ({ ok: true, value: v }), signal: controller.signal },
      ),
    );
    assert.equal(error.kind, "CANCELLED");
    assert.deepEqual(error.details, { step: 1, tool: "hanging" });
  });

  it("never throws, even for a lookup without byName and a step without a tool id", async () => {
    const steps: WorkflowStep[] = [
      { id: 1, tool: "geocode", args: { city: { value: "Oslo" } } },
      { id: 2, tool: "output_model", args: { name: { ref: "1.output.name" } } },
    ];
    const noNames = await runWorkflow(
      steps,
      { byId: lookup.byId },
      {},
      { validateOutput: (v) => ({ ok: true, value: v }) },
    );
    assert.equal(failure(noNames).kind, "PLANNING_HF");
    const byName = await runWorkflow(steps, lookup, {}, { validateOutput: (v) => ({ ok: true, value: v }) });
    assert.ok(byName.ok);
    assert.deepEqual(byName.value.output, { name: "OSLO" });
  });
});
