import assert from "node:assert/strict";
import { test } from "node:test";
import { buildEvalReport, evalMarkdown, isSuccess, type EvalRun } from "../../../src/engine/eval/evalReport";

const base = {
  model: "m",
  function: "f",
  run: 1,
  expectInfeasible: false,
  testsTotal: 2,
  wallMs: 1000,
  errorKinds: [] as EvalRun["errorKinds"],
};

test("a run succeeds only when a feasible task passes every test, or an infeasible one is refused", () => {
  assert.equal(isSuccess({ ...base, outcome: "completed", testsPassed: 2 }), true);
  assert.equal(isSuccess({ ...base, outcome: "completed", testsPassed: 1 }), false);
  assert.equal(isSuccess({ ...base, outcome: "refused", testsPassed: 0 }), false);
  assert.equal(isSuccess({ ...base, expectInfeasible: true, outcome: "refused", testsPassed: 0 }), true);
  // Planning something for an impossible task is a failure, whatever its tests say.
  assert.equal(isSuccess({ ...base, expectInfeasible: true, outcome: "completed", testsPassed: 2 }), false);
  assert.equal(isSuccess({ ...base, expectInfeasible: true, outcome: "failed", testsPassed: 0 }), false);
});

test("figures sum per model and function; tokens stay absent when no run has them", () => {
  const runs: EvalRun[] = [
    { ...base, outcome: "completed", testsPassed: 2, llmCalls: 2, tokens: { prompt: 900, answer: 80 } },
    {
      ...base,
      run: 2,
      outcome: "failed",
      testsPassed: 0,
      llmCalls: 11,
      errorKinds: ["PLANNING_HF", "ADAPTOR_JSON"],
      tokens: { prompt: 5000, answer: 700 },
    },
    {
      ...base,
      function: "g",
      expectInfeasible: true,
      outcome: "refused",
      testsPassed: 0,
      testsTotal: 0,
      errorKinds: ["INIT_CHECK"],
    },
    { ...base, model: "n", outcome: "failed", testsPassed: 0, errorKinds: ["LLM_TIMEOUT"] },
  ];
  const report = buildEvalReport(
    {
      startedAt: "2026-11-26T10:00:00.000Z",
      finishedAt: "2026-11-26T10:01:00.000Z",
      workspace: "/w",
      endpoint: "ollama http://127.0.0.1:11434",
      runsPerFunction: 2,
      models: ["m", "n"],
      functions: [
        { name: "f", expectInfeasible: false },
        { name: "g", expectInfeasible: true },
      ],
      cancelled: false,
    },
    runs,
  );
  const [m, n] = report.totals;
  assert.deepEqual(
    { ...m },
    {
      model: "m",
      runs: 3,
      successes: 2,
      completed: 1,
      refused: 1,
      expectedRefusals: 1,
      testsPassed: 2,
      testsTotal: 2,
      llmCalls: 13,
      tokens: { prompt: 5900, answer: 780 },
      wallMs: 3000,
      errorKinds: { PLANNING_HF: 1, ADAPTOR_JSON: 1, INIT_CHECK: 1 },
    },
  );
  assert.equal(n?.tokens, undefined);
  assert.deepEqual(
    report.cells.map((c) => [c.model, c.function, c.runs]),
    [
      ["m", "f", 2],
      ["m", "g", 1],
      ["n", "f", 1],
    ],
  );
  const markdown = evalMarkdown(report);
  assert.match(markdown, /\| m \| 2\/3 \(66\.7 %\) \| 1 \| 1 \| 2\/2 \| 13 \| 5900 \+ 780 \| 3\.0 s \|/);
  assert.match(markdown, /\| n \| 0\/1 \(0\.0 %\) \| 0 \| 0 \| 0\/0 \| 0 \| – \| 1\.0 s \|/);
  assert.match(markdown, /\| g \(infeasible\) \| 1\/1 \| 0 \| 1 \|/);
});
