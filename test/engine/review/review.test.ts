import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffLines } from "../../../src/engine/review/diffText";
import { workflowMarkdown } from "../../../src/engine/review/exportMarkdown";
import { workflowMermaid } from "../../../src/engine/review/exportMermaid";
import { workflowTypeScript, type ExportedBinding } from "../../../src/engine/review/exportTypeScript";
import type { JsonSchema } from "../../../src/engine/jsonSchema";
import { diffWorkflows } from "../../../src/engine/review/workflowDiff";
import type { PlanningRecord, WorkflowFile, WorkflowStep } from "../../../src/engine/workflow/types";

function workflow(id: string, steps: WorkflowStep[], history: PlanningRecord[] = [], completed = true): WorkflowFile {
  return {
    formatVersion: 1,
    id,
    inputId: "i".repeat(64),
    savedAt: "2026-11-26T10:00:00.000Z",
    task: {
      name: "city_forecast",
      description: "Weather for a city.",
      inputSchema: { type: "object", properties: { city: { type: "string" } } },
      outputSchema: { type: "object", properties: { city: { type: "string" }, highF: { type: "number" } } },
    },
    model: "ollama http://127.0.0.1:11434 qwen3:8b",
    initCheck: { decision: true, justification: "ok", votes: 1 },
    planningPossible: true,
    completed,
    steps,
    history,
    lastError: null,
    stats: { llmCalls: 2, promptChars: 100, retries: 0, loops: 1, durationMs: 12 },
  };
}

const passed: PlanningRecord = {
  stage: "test",
  loop: 0,
  attempt: 1,
  at: "2026-11-26T10:00:00.000Z",
  ok: true,
  note: "2 cases passed",
};
const failedTest: PlanningRecord = {
  stage: "test",
  loop: 0,
  attempt: 3,
  at: "2026-11-26T10:00:00.000Z",
  ok: false,
  error: { kind: "OUTPUTS_UNEXPECTED", stage: "test", message: "case 1: 1 output field differs" },
};

const geocode: WorkflowStep = { id: 1, tool: "geocode", toolId: "g1", args: { city: { ref: "0.output.city" } } };
const forecast: WorkflowStep = {
  id: 2,
  tool: "forecast",
  toolId: "f1",
  args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" } },
};
const toF: WorkflowStep = {
  id: 3,
  tool: "celsius_to_fahrenheit",
  toolId: "c1",
  args: { celsius: { ref: "2.output.today.highC" } },
};
const output: WorkflowStep = {
  id: 4,
  tool: "output_model",
  args: { city: { ref: "1.output.name" }, highF: { ref: "3.output.fahrenheit" } },
};
const base = workflow("aaaaaaaaaaaa", [geocode, forecast, toF, output], [passed]);

describe("diffWorkflows", () => {
  it("finds nothing between a workflow and itself", () => {
    const diff = diffWorkflows(base, base);
    assert.equal(diff.changed, false);
    assert.deepEqual(
      diff.steps.map((s) => s.change),
      ["unchanged", "unchanged", "unchanged", "unchanged"],
    );
  });

  it("matches steps by tool, so an inserted step does not make later references look rewired", () => {
    const normalize: WorkflowStep = {
      id: 1,
      tool: "normalize_city",
      toolId: "n1",
      args: { text: { ref: "0.output.city" } },
    };
    const after = workflow(
      "bbbbbbbbbbbb",
      [
        normalize,
        { ...geocode, id: 2, args: { city: { ref: "1.output.name" } } },
        { ...forecast, id: 3, args: { lat: { ref: "2.output.lat" }, lon: { ref: "2.output.lon" } } },
        { ...toF, id: 4, toolId: "c2", args: { celsius: { ref: "3.output.today.highC" } } },
        { ...output, id: 5, args: { city: { ref: "2.output.name" }, highF: { template: "{{4.output.fahrenheit}}" } } },
      ],
      [failedTest],
      false,
    );
    const diff = diffWorkflows(base, after);
    assert.equal(diff.changed, true);
    assert.deepEqual(diff.steps[0], {
      change: "added",
      tool: "normalize_city",
      after: 1,
      args: [{ arg: "text", after: "input.output.city" }],
    });
    assert.deepEqual(diff.steps[1], {
      change: "changed",
      tool: "geocode",
      before: 1,
      after: 2,
      rewired: [{ arg: "city", before: "input.output.city", after: "normalize_city.output.name" }],
    });
    assert.deepEqual(diff.steps[2], { change: "unchanged", tool: "forecast", before: 2, after: 3 });
    assert.deepEqual(diff.steps[3], {
      change: "changed",
      tool: "celsius_to_fahrenheit",
      before: 3,
      after: 4,
      rewired: [],
      toolId: { before: "c1", after: "c2" },
    });
    assert.deepEqual(diff.steps[4], {
      change: "changed",
      tool: "output_model",
      before: 4,
      after: 5,
      rewired: [
        {
          arg: "highF",
          before: "celsius_to_fahrenheit.output.fahrenheit",
          after: '"{{celsius_to_fahrenheit.output.fahrenheit}}"',
        },
      ],
    });
    assert.equal(diff.before.tests.status, "passed");
    assert.deepEqual(diff.after.tests, {
      status: "failed",
      note: "case 1: 1 output field differs",
      errorKind: "OUTPUTS_UNEXPECTED",
    });
    const text = diffLines(diff).join("\n");
    assert.match(text, /\+ 1 normalize_city/);
    assert.match(text, /tool changed: c1 → c2/);
    assert.match(text, /Tests: passed → failed/);
  });

  it("reports removed steps and dropped arguments", () => {
    const after = workflow(
      "cccccccccccc",
      [geocode, { id: 2, tool: "output_model", args: { city: { ref: "1.output.name" } } }],
      [passed],
    );
    const diff = diffWorkflows(base, after);
    assert.deepEqual(
      diff.steps.map((s) => [s.change, s.tool]),
      [
        ["unchanged", "geocode"],
        ["removed", "forecast"],
        ["removed", "celsius_to_fahrenheit"],
        ["changed", "output_model"],
      ],
    );
    const last = diff.steps[3];
    assert.ok(last?.change === "changed");
    assert.deepEqual(last.rewired, [{ arg: "highF", before: "celsius_to_fahrenheit.output.fahrenheit" }]);
  });
});

describe("exports", () => {
  it("draws an edge only where a step reads another, labelled with the fields", () => {
    const text = workflowMermaid(base);
    const edges = text.split("\n").filter((line) => line.includes("-->"));
    assert.deepEqual(edges, [
      '  s0 -->|"city"| s1',
      '  s1 -->|"lat<br/>lon"| s2',
      '  s2 -->|"today.highC → celsius"| s3',
      '  s1 -->|"name → city"| s4',
      '  s3 -->|"fahrenheit → highF"| s4',
    ]);
  });

  it("writes a Markdown summary with the steps, the graph and the test outcome", () => {
    const text = workflowMarkdown(base);
    assert.match(text, /\| 3 \| `celsius_to_fahrenheit` \| `celsius` ← `forecast.output.today.highC` \|/);
    assert.match(text, /```mermaid\nflowchart TD/);
    assert.match(text, /- Tests: passed \(2 cases passed\)/);
  });

  it("ejects TypeScript that calls each tool in order and builds the output", () => {
    const tools = new Map<string, ExportedBinding & { outputSchema: JsonSchema }>([
      [
        "geocode",
        {
          module: "./places.llm",
          exportName: "geocode",
          outputSchema: { type: "object", properties: { name: { type: "string" } } },
        },
      ],
      ["forecast", { module: "./weather.llm", exportName: "forecast", outputSchema: { type: "object" } }],
      [
        "celsius_to_fahrenheit",
        { module: "./weather.llm", exportName: "celsiusToFahrenheit", outputSchema: { type: "object" } },
      ],
    ]);
    const withTemplate = workflow("dddddddddddd", [
      geocode,
      forecast,
      {
        id: 3,
        tool: "output_model",
        args: { city: { template: "{{1.output.name}} (`{{2.output.today}}`)" }, highF: { value: 1 } },
      },
    ]);
    const text = workflowTypeScript(withTemplate, {
      declaration: { module: "./functions.llm", exportName: "cityForecast" },
      tools,
    });
    assert.match(text, /import type \{ cityForecast as declared \} from "\.\/functions\.llm";/);
    assert.match(text, /import \{ geocode \} from "\.\/places\.llm";/);
    assert.match(text, /const geocodeOut = await call\(geocode, \{\n {4}city: input\.city,\n {2}\}\);/);
    // A scalar is written as it is, an object as JSON, as the runner renders templates.
    assert.match(text, /city: `\$\{geocodeOut\.name\} \(\\`\$\{JSON\.stringify\(forecastOut\.today\)\}\\`\)`,/);
    assert.match(text, /highF: 1,/);
  });
});
