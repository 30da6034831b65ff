import type { StoredWorkflow } from "../../src/engine/runtimeTypes";
import type { WorkflowFile } from "../../src/engine/workflow/types";

/** A small but complete workflow: geocode the input city, fetch a forecast, build the output. */
export function weatherWorkflow(overrides: Partial<WorkflowFile> = {}): WorkflowFile {
  return {
    formatVersion: 1,
    id: "wf1",
    inputId: "abc",
    savedAt: "2025-03-04T10:22:33.000Z",
    task: {
      name: "summarize",
      description: "Summarize the weather of a city.",
      inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      outputSchema: { type: "object", properties: { summary: { type: "string" }, tempC: { type: "number" } } },
    },
    model: "qwen3:8b",
    initCheck: { decision: true, justification: "geocode and forecast cover it", votes: 1 },
    planningPossible: true,
    completed: true,
    steps: [
      { id: 1, tool: "geocode", toolId: "t1", args: { name: { ref: "0.output.city" }, country: { value: "NL" } } },
      {
        id: 2,
        tool: "forecast",
        toolId: "t2",
        args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" }, days: { value: 1 } },
      },
      {
        id: 3,
        tool: "output_model",
        args: { summary: { template: "{{0.output.city}}: {{2.output.text}}" }, tempC: { ref: "2.output.temp" } },
      },
    ],
    history: [
      {
        stage: "check",
        loop: 0,
        attempt: 1,
        at: "2025-03-04T10:22:30.000Z",
        ok: true,
        verdict: { decision: true, justification: "geocode and forecast cover it" },
      },
      {
        stage: "plan",
        loop: 0,
        attempt: 1,
        at: "2025-03-04T10:22:31.000Z",
        ok: false,
        error: { kind: "PLANNING_HF", stage: "plan", message: "Unknown tool weather" },
      },
      {
        stage: "test",
        loop: 0,
        attempt: 2,
        at: "2025-03-04T10:22:32.000Z",
        ok: false,
        error: { kind: "OUTPUTS_UNEXPECTED", stage: "test", message: "1 field differs" },
        diffs: [
          { path: "tempC", kind: "value", expected: 12, actual: 11.5, producedBy: { step: 2, tool: "forecast" } },
        ],
      },
      { stage: "test", loop: 0, attempt: 3, at: "2025-03-04T10:22:33.000Z", ok: true },
    ],
    lastError: null,
    stats: { llmCalls: 4, promptChars: 1200, retries: 2, loops: 0, durationMs: 2300 },
    ...overrides,
  };
}

export function stored(file: string, overrides: Partial<WorkflowFile> = {}): StoredWorkflow {
  return { file, workflow: weatherWorkflow(overrides) };
}
