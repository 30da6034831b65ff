import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { tool } from "../../../src/engine/tools/tool";
import { purposeOf, queueResponder, type RecordedChat } from "../../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../../support/weatherTools";
import { startHarness, type Harness } from "./harness";

const spec = emailWeatherReport.toSpec();
const input = { city: "Lima", email: "c@example.com" };

function planWith(mutate: (steps: ReturnType<typeof correctPlan>["steps"]) => void) {
  const plan = correctPlan();
  mutate(plan.steps);
  return { json: plan };
}

function requestsOf(h: Harness, purpose: string): RecordedChat[] {
  return h.server.requests.filter((r) => purposeOf(r) === purpose);
}

function lastUserMessage(request: RecordedChat | undefined): string {
  return request?.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
}

describe("planning a workflow", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a clean plan costs one check and one planner call, is saved and runs", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }] }));
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "clean") } });
    const events: string[] = [];
    const result = await runtime.call(spec, input, { onProgress: (e) => events.push(`${e.stage}:${e.status}`) });
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.deepEqual(result.value.output, { messageId: "msg-13-15", fahrenheit: 75, summary: "Lima: 75°F, sunny" });
    assert.equal(result.value.reused, false);
    assert.equal(result.value.workflow.stats.llmCalls, 2);
    assert.equal(h.server.requests.length, 2);
    assert.deepEqual(
      result.value.workflow.steps.map((s) => s.tool),
      ["geocode", "forecast", "to_fahrenheit", "format_report", "send_email", "output_model"],
    );
    assert.deepEqual(result.value.workflow.steps[4]?.args.subject, { template: "Weather in {{0.output.city}}" });
    assert.deepEqual(result.value.workflow.steps[1]?.args.lon, { ref: "1.output.lon" });
    assert.equal(result.value.trace.steps.length, 6);
    for (const stage of [
      "check:start",
      "check:ok",
      "plan:start",
      "plan:ok",
      "adapt:ok",
      "test:ok",
      "save:ok",
      "run:ok",
    ])
      assert.ok(events.includes(stage), stage);
    const files = await readdir(join(h.storage, "clean", "workflows"));
    assert.equal(files.length, 1);
    assert.match(files[0] ?? "", new RegExp(`^${runtime.inputId(spec)}_[0-9a-f]+_\\d{8}T\\d{9}Z\\.json$`));
    // The planner was asked for structured output restricted to known tool names.
    const format = requestsOf(h, "plan")[0]?.format as {
      properties: { steps: { items: { properties: { name: { enum: string[] } } } } };
    };
    assert.deepEqual(format.properties.steps.items.properties.name.enum, [
      ...weatherTools.map((t) => t.name),
      "output_model",
    ]);
    // A second call is served from memory: no LLM call.
    const again = await runtime.call(spec, input);
    assert.ok(again.ok);
    assert.equal(again.value.reused, true, "the second call reuses the workflow the first one planned");
    assert.equal(h.server.requests.length, 2);
  });

  test("a refusing init check ends planning with its justification, and is not retried", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(
      queueResponder({ check: [{ json: { justification: "No tool can send a fax.", decision: false } }] }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "refused") } });
    const result = await runtime.call(spec, input);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "INIT_CHECK");
    assert.equal(result.error.stage, "init_check");
    assert.match(result.error.message, /fax/);
    assert.equal(result.error.details?.storedFailure, undefined, "the call that planned reports its own failure");
    assert.equal(await runtime.status(spec), "failed");
    const stored = await runtime.workflows(spec);
    assert.equal(stored[0]?.workflow.planningPossible, false);
    const again = await runtime.call(spec, input);
    assert.ok(!again.ok && again.error.kind === "INIT_CHECK");
    assert.deepEqual(
      again.error.details?.storedFailure,
      { savedAt: stored[0]?.workflow.savedAt, file: stored[0]?.file },
      "a replayed failure says it is stored",
    );
    assert.equal(h.server.requests.length, 1);
  });

  test("several check votes: one positive answer wins, unreadable answers are asked again", async () => {
    h.server.requests.length = 0;
    h.server.setResponder(
      queueResponder({
        check: [
          "I think so",
          { json: { justification: "no", decision: false } },
          { json: { justification: "no", decision: false } },
          { json: feasible },
        ],
        plan: [{ json: correctPlan() }],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "votes"), checkVotes: 3 } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    assert.equal(result.value.initCheck?.decision, true);
    assert.equal(requestsOf(h, "check").length, 4);
  });

  const repairs: { name: string; bad: unknown; kind: string; feedback: RegExp }[] = [
    {
      name: "prose that is not JSON",
      bad: "Sure! First geocode, then forecast.",
      kind: "PLANNING_JSON",
      feedback: /not valid JSON/,
    },
    {
      name: "an unknown tool",
      bad: planWith((s) => s.splice(1, 0, { name: "weather_api", args: {} })).json,
      kind: "PLANNING_HF",
      feedback: /weather_api.*available tools: geocode, forecast/,
    },
    {
      name: "no output step",
      bad: planWith((s) => s.pop()).json,
      kind: "PLANNING_MISSOUTPUT",
      feedback: /output_model/,
    },
    {
      name: "an empty output step",
      bad: planWith((s) => (s[5] = { name: "output_model", args: {} })).json,
      kind: "PLANNING_OUTPUT_MODEL",
      feedback: /no args/,
    },
  ];
  for (const repair of repairs) {
    test(`the planner is asked again after ${repair.name} (${repair.kind})`, async () => {
      h.server.requests.length = 0;
      h.server.setResponder(
        queueResponder({
          check: [{ json: feasible }],
          plan: [typeof repair.bad === "string" ? repair.bad : { json: repair.bad }, { json: correctPlan() }],
        }),
      );
      const runtime = await h.runtime({ config: { storagePath: join(h.storage, repair.kind) } });
      const result = await runtime.plan(spec);
      assert.ok(result.ok, result.ok ? "" : result.error.message);
      const failed = result.value.history.find((r) => r.stage === "plan" && !r.ok);
      assert.equal(failed?.error?.kind, repair.kind);
      assert.match(lastUserMessage(requestsOf(h, "plan")[1]), repair.feedback);
    });
  }

  test("args failing the deterministic check go to the LLM adaptor, only for that step (ADAPTOR_JSON)", async () => {
    h.server.requests.length = 0;
    const bad = planWith(
      (s) => (s[1] = { name: "forecast", args: { lat: "geocode.output.latitude", lon: "geocode.output.lon" } }),
    );
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [bad],
        adapt: [
          { json: { args: { lat: "geocode.output.name", lon: "geocode.output.lon" } } },
          { json: { args: { lat: "1.output.lat", lon: "1.output.lon" } } },
        ],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "adapt") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const adapts = requestsOf(h, "adapt");
    assert.equal(adapts.length, 2);
    assert.match(lastUserMessage(adapts[0]), /latitude/);
    const failure = result.value.history.find((r) => r.stage === "adapt" && !r.ok);
    assert.equal(failure?.error?.kind, "ADAPTOR_JSON");
    assert.equal(failure?.step, 2);
    assert.deepEqual(result.value.steps[1]?.args.lat, { ref: "1.output.lat" });
  });

  test("a tool that fails while testing makes the planner replan, told which tool failed (RUNNER)", async () => {
    h.server.requests.length = 0;
    const flaky = tool(
      {
        name: "format_report",
        description: "Write a one-line weather report for a city.",
        input: z.object({ city: z.string(), fahrenheit: z.number(), condition: z.string() }),
        output: z.object({ text: z.string() }),
      },
      ({ city, fahrenheit, condition }) => {
        if (city === "Oslo") throw new Error("report service down for Oslo");
        return { text: `${city}: ${fahrenheit}°F, ${condition}` };
      },
    );
    const fallback = tool(
      {
        name: "plain_report",
        description: "Write a plain weather report.",
        input: z.object({ city: z.string(), fahrenheit: z.number(), condition: z.string() }),
        output: z.object({ text: z.string() }),
      },
      ({ city, fahrenheit, condition }) => ({ text: `${city}: ${fahrenheit}°F, ${condition}` }),
    );
    const second = planWith((s) => {
      s[3] = {
        name: "plain_report",
        args: {
          city: "input.output.city",
          fahrenheit: "to_fahrenheit.output.fahrenheit",
          condition: "forecast.output.condition",
        },
      };
      s[4] = {
        name: "send_email",
        args: {
          to: "input.output.email",
          subject: "Weather in {{input.output.city}}",
          body: "plain_report.output.text",
        },
      };
      s[5] = {
        name: "output_model",
        args: {
          messageId: "send_email.output.messageId",
          fahrenheit: "to_fahrenheit.output.fahrenheit",
          summary: "plain_report.output.text",
        },
      };
    });
    h.server.setResponder(queueResponder({ check: [{ json: feasible }], plan: [{ json: correctPlan() }, second] }));
    const tools = [...weatherTools.filter((t) => t.name !== "format_report"), flaky, fallback];
    const runtime = await h.runtime({ tools, config: { storagePath: join(h.storage, "runner") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const failedTest = result.value.history.find((r) => r.stage === "test" && !r.ok);
    assert.equal(failedTest?.error?.kind, "RUNNER");
    assert.match(lastUserMessage(requestsOf(h, "plan")[1]), /format_report.*report service down for Oslo/);
  });

  test("an output that differs from the tests goes to the output adaptor first (OUTPUTS_UNEXPECTED)", async () => {
    h.server.requests.length = 0;
    const wrong = planWith(
      (s) =>
        (s[5] = {
          name: "output_model",
          args: {
            messageId: "send_email.output.messageId",
            fahrenheit: "forecast.output.tempC",
            summary: "format_report.output.text",
          },
        }),
    );
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [wrong],
        adapt: [
          {
            json: {
              args: {
                messageId: "send_email.output.messageId",
                fahrenheit: "to_fahrenheit.output.fahrenheit",
                summary: "format_report.output.text",
              },
            },
          },
        ],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "unexpected") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const failedTest = result.value.history.find((r) => r.stage === "test" && !r.ok);
    assert.equal(failedTest?.error?.kind, "OUTPUTS_UNEXPECTED");
    assert.deepEqual(failedTest?.diffs?.[0]?.producedBy, { step: 2, tool: "forecast" });
    assert.match(lastUserMessage(requestsOf(h, "adapt")[0]), /fahrenheit: expected 64, got 18/);
  });

  test("the same output fields failing again turn into PLANNING_RESET: the planner is told the differences", async () => {
    h.server.requests.length = 0;
    const wrongOutput = {
      messageId: "send_email.output.messageId",
      fahrenheit: "forecast.output.tempC",
      summary: "format_report.output.text",
    };
    const wrong = planWith((s) => (s[5] = { name: "output_model", args: wrongOutput }));
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [wrong, { json: correctPlan() }],
        adapt: [{ json: { args: wrongOutput } }],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "reset") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const kinds = result.value.history.filter((r) => !r.ok).map((r) => r.error?.kind);
    assert.deepEqual(kinds, ["OUTPUTS_UNEXPECTED", "OUTPUTS_UNEXPECTED", "PLANNING_RESET"]);
    assert.match(lastUserMessage(requestsOf(h, "plan")[1]), /fahrenheit: expected 64, got 18/);
  });

  test("an output that fails the output schema goes to the output adaptor (OUTPUTS_FAILURE)", async () => {
    h.server.requests.length = 0;
    const strict = emailWeatherReport.toSpec();
    const spec2 = {
      ...strict,
      tests: [],
      validateOutput: (value: unknown) =>
        z
          .object({ messageId: z.string().startsWith("msg-"), fahrenheit: z.number(), summary: z.string() })
          .safeParse(value).success
          ? { ok: true as const, value }
          : { ok: false as const, error: [{ path: ["messageId"], message: "must start with msg-" }] },
    };
    const wrong = planWith(
      (s) =>
        (s[5] = {
          name: "output_model",
          args: {
            messageId: "format_report.output.text",
            fahrenheit: "to_fahrenheit.output.fahrenheit",
            summary: "format_report.output.text",
          },
        }),
    );
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [wrong],
        adapt: [
          {
            json: {
              args: {
                messageId: "send_email.output.messageId",
                fahrenheit: "to_fahrenheit.output.fahrenheit",
                summary: "format_report.output.text",
              },
            },
          },
        ],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "failure") } });
    const result = await runtime.call(
      { ...spec2, tests: [{ input: { city: "Paris", email: "a@example.com" } }] },
      input,
    );
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const failedTest = result.value.workflow.history.find((r) => r.stage === "test" && !r.ok);
    assert.equal(failedTest?.error?.kind, "OUTPUTS_FAILURE");
    assert.match(lastUserMessage(requestsOf(h, "adapt")[0]), /must start with msg-/);
  });

  test("a plan that never converges is bounded by maxRetry and resetLoops and ends in a typed error", async () => {
    h.server.requests.length = 0;
    h.server.setResponder((request) =>
      purposeOf(request) === "check" ? { json: feasible } : { json: { steps: [{ name: "teleport", args: {} }] } },
    );
    const runtime = await h.runtime({
      config: { storagePath: join(h.storage, "bounded"), maxRetry: 3, resetLoops: 2 },
    });
    const result = await runtime.call(spec, input);
    assert.ok(!result.ok);
    assert.equal(result.error.kind, "PLANNING_HF");
    assert.equal(requestsOf(h, "plan").length, 9);
    assert.equal(requestsOf(h, "check").length, 1, "loops keep the init-check result");
    const [stored] = await runtime.workflows(spec);
    assert.equal(stored?.workflow.completed, false);
    assert.equal(stored?.workflow.stats.loops, 3);
    assert.equal(stored?.workflow.lastError?.kind, "PLANNING_HF");
  });
});

describe("errors found while running the tests go back to the adaptor for the failing step", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a reference that does not resolve at run time (INPUTS) is repaired by the adaptor", async () => {
    const wrong = planWith(
      (s) => (s[2] = { name: "to_fahrenheit", args: { celsius: "forecast.output.hours[5].tempC" } }),
    );
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [wrong],
        adapt: [{ json: { args: { celsius: "forecast.output.tempC" } } }],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "inputs") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const failedTest = result.value.history.find((r) => r.stage === "test" && !r.ok);
    assert.equal(failedTest?.error?.kind, "INPUTS");
    const adaptPrompt = lastUserMessage(requestsOf(h, "adapt")[0]);
    assert.match(adaptPrompt, /Step 3: to_fahrenheit/);
    assert.match(adaptPrompt, /index 5 is out of range/);
    assert.deepEqual(result.value.steps[2]?.args.celsius, { ref: "2.output.tempC" });
  });

  test("a tool input that fails the tool's schema at run time (ADAPTOR_JSON) is repaired by the adaptor", async () => {
    h.server.requests.length = 0;
    const wrong = planWith(
      (s) =>
        (s[4] = {
          name: "send_email",
          args: {
            to: "input.output.city",
            subject: "Weather in {{input.output.city}}",
            body: "format_report.output.text",
          },
        }),
    );
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [wrong],
        adapt: [
          {
            json: {
              args: {
                to: "input.output.email",
                subject: "Weather in {{input.output.city}}",
                body: "format_report.output.text",
              },
            },
          },
        ],
      }),
    );
    const runtime = await h.runtime({ config: { storagePath: join(h.storage, "adaptor-json") } });
    const result = await runtime.plan(spec);
    assert.ok(result.ok, result.ok ? "" : result.error.message);
    const failedTest = result.value.history.find((r) => r.stage === "test" && !r.ok);
    assert.equal(failedTest?.error?.kind, "ADAPTOR_JSON");
    assert.match(lastUserMessage(requestsOf(h, "adapt")[0]), /Step 5: send_email[\s\S]*to: Invalid email/);
  });
});
