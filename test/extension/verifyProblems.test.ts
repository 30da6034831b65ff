import assert from "node:assert/strict";
import { test } from "node:test";
import type { VerifyResult } from "../../src/engine/runtime/verifyStored";
import { inspectorState } from "../../src/extension/inspector/inspectorModel";
import { verifyProblems } from "../../src/extension/verify/verifyProblems";
import type { DiscoveredFunction } from "../../src/workspace/workspaceTypes";
import { weatherWorkflow } from "./fixtures";

function declared(name: string, line: number): DiscoveredFunction {
  return {
    name,
    exportName: name,
    description: "",
    inputSchema: {},
    outputSchema: {},
    tests: [],
    location: { file: "/w/functions.llm.ts", line, column: 14 },
  };
}

const functions = [declared("city_forecast", 7), declared("weather_headline", 26), declared("notes", 40)];

function result(fn: string, status: VerifyResult["status"], extra: Partial<VerifyResult> = {}): VerifyResult {
  return { function: fn, status, tests: [], changes: [], durationMs: 1, ...extra };
}

test("verify results become Problems at each declaration: one per failing test with its diff, errors for failed and stale", () => {
  const problems = verifyProblems(
    [
      result("city_forecast", "failed", {
        tests: [
          {
            label: "case 1",
            input: { city: "Paris" },
            ok: false,
            diffs: [{ path: "highC", kind: "value", expected: 14, actual: 15 }],
          },
          { label: "case 2", input: { city: "oslo" }, ok: true },
          {
            label: "case 3",
            input: { city: "Lima" },
            ok: false,
            error: { kind: "RUNNER", stage: "test", message: "case 3: geocode threw: Unknown city" },
          },
        ],
      }),
      result("weather_headline", "passed"),
      result("notes", "unverified", { reason: "notes has no test cases to replay." }),
    ],
    functions,
  );
  assert.deepEqual(problems, [
    {
      location: functions[0]!.location,
      severity: "error",
      message: 'city_forecast: verify failed on case 1 {"city":"Paris"}: highC: expected 14, got 15',
    },
    {
      location: functions[0]!.location,
      severity: "error",
      message: 'city_forecast: verify failed on case 3 {"city":"Lima"}: case 3: geocode threw: Unknown city',
    },
    {
      location: functions[2]!.location,
      severity: "warning",
      message: "notes: verify unverified: notes has no test cases to replay.",
    },
  ]);
});

test("the inspector shows a function's stale reason and a workflow's re-verifications after its planning history", () => {
  const workflow = weatherWorkflow();
  const state = inspectorState({
    folderUri: "file:///w",
    folderName: "w",
    functionName: "summarize",
    description: "Summarize.",
    workflows: [
      {
        file: "/w/.llm-function/workflows/a.json",
        workflow,
        verifications: [
          {
            formatVersion: 1,
            kind: "verification",
            workflowId: "wf1",
            inputId: "abc",
            at: "2025-03-06T00:00:00.000Z",
            code: { tools: {}, modules: {}, packages: {} },
            changes: ["geocode (places.llm.ts): places.llm.ts modified"],
            tests: 2,
          },
          {
            formatVersion: 1,
            kind: "verification",
            workflowId: "wf1",
            inputId: "abc",
            at: "2025-03-05T00:00:00.000Z",
            code: { tools: {}, modules: {}, packages: {} },
            changes: ["forecast (weather.llm.ts): lib/units.ts added"],
            tests: 2,
          },
        ],
      },
    ],
    state: {
      status: "stale",
      reason:
        "code changed since it was last verified: forecast (weather.llm.ts): lib/units.ts modified; 1 of 2 test cases fail now",
    },
    runs: [],
  });
  assert.deepEqual(state.status, {
    status: "stale",
    reason:
      "code changed since it was last verified: forecast (weather.llm.ts): lib/units.ts modified; 1 of 2 test cases fail now",
  });
  const history = state.selected?.history ?? [];
  assert.equal(history.length, workflow.history.length + 2);
  assert.deepEqual(
    history.slice(-2).map((h) => [h.stage, h.at, h.note]),
    [
      [
        "verify",
        "2025-03-05T00:00:00.000Z",
        "2 test cases pass on changed code, with no LLM: forecast (weather.llm.ts): lib/units.ts added",
      ],
      [
        "verify",
        "2025-03-06T00:00:00.000Z",
        "2 test cases pass on changed code, with no LLM: geocode (places.llm.ts): places.llm.ts modified",
      ],
    ],
  );
});
