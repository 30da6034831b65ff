import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEvalReport, type EvalReport, type EvalRun } from "../../engine/eval/evalReport";
import type { ErrorKind, WorkflowError } from "../../engine/errors";
import type { FunctionSpec } from "../../engine/functionSpec";
import type { JsonValue } from "../../engine/jsonSchema";
import { compareOutputs } from "../../engine/workflow/compareOutputs";
import type { WorkflowFile } from "../../engine/workflow/types";
import type { WorkspaceSession } from "../workspaceSession";

export interface EvaluationOptions {
  models: string[];
  runs: number;
  functions: string[];
  signal?: AbortSignal;
  /** One line per finished run, and other news. */
  onProgress?: (line: string) => void;
}

/** Errors that make every further run of the model meaningless: the evaluation stops with them. */
const FATAL: ReadonlySet<ErrorKind> = new Set([
  "LLM_UNREACHABLE",
  "LLM_MODEL_NOT_FOUND",
  "CANCELLED",
  "STORAGE",
  "INTERNAL",
]);

export type EvaluationResult =
  | { ok: true; report: EvalReport }
  | { ok: false; error: WorkflowError; report: EvalReport };

/**
 * Plans each function `runs` times per model, from scratch, in a throwaway storage folder (the
 * workspace's own workflows are never read or written), replays every completed workflow on the
 * function's test cases, and sums it all up. The session's storage and model are restored after.
 */
export async function runEvaluation(session: WorkspaceSession, options: EvaluationOptions): Promise<EvaluationResult> {
  const original = { storagePath: session.settings.storagePath, llm: session.settings.llm };
  const storage = await mkdtemp(join(tmpdir(), "llmfn-eval-"));
  const startedAt = new Date().toISOString();
  const runs: EvalRun[] = [];
  let fatal: WorkflowError | undefined;
  try {
    await session.updateSettings({ storagePath: storage });
    outer: for (const model of options.models) {
      await session.updateSettings({ llm: { ...original.llm, model } });
      for (const name of options.functions) {
        const spec = session.functionSpec(name);
        if (!spec) throw new Error(`No LLM function named ${name}.`);
        for (let run = 1; run <= options.runs; run++) {
          if (options.signal?.aborted) break outer;
          const result = await evaluateOnce(session, spec, model, run, options.signal);
          if (result.error && FATAL.has(result.error.kind)) {
            fatal = { kind: result.error.kind, stage: "plan", message: result.error.message };
            if (result.error.kind !== "CANCELLED")
              options.onProgress?.(`[eval] ${model} ${name}: ${result.error.kind}: ${result.error.message}`);
            break outer;
          }
          runs.push(result);
          options.onProgress?.(progressLine(result, options.runs));
        }
      }
    }
  } finally {
    await session.updateSettings(original).catch(() => undefined);
    await rm(storage, { recursive: true, force: true });
  }
  const report = buildEvalReport(
    {
      startedAt,
      finishedAt: new Date().toISOString(),
      workspace: session.settings.folder,
      endpoint: endpointOf(session),
      runsPerFunction: options.runs,
      models: options.models,
      functions: options.functions.map((name) => ({
        name,
        expectInfeasible: session.functionSpec(name)?.expectInfeasible === true,
      })),
      cancelled: options.signal?.aborted === true || fatal?.kind === "CANCELLED",
    },
    runs,
  );
  return fatal ? { ok: false, error: fatal, report } : { ok: true, report };
}

function endpointOf(session: WorkspaceSession): string {
  const llm = session.settings.llm;
  return llm.type === "ollama" ? `ollama ${llm.host}` : `openai ${llm.baseUrl}`;
}

async function evaluateOnce(
  session: WorkspaceSession,
  spec: FunctionSpec,
  model: string,
  run: number,
  signal: AbortSignal | undefined,
): Promise<EvalRun> {
  const before = new Set((await session.workflows(spec.name)).map((s) => s.workflow.id));
  const started = performance.now();
  const planned = await session.plan(spec.name, { forceReplan: true, ...(signal ? { signal } : {}) });
  const wallMs = performance.now() - started;
  const stored = (await session.workflows(spec.name)).find((s) => !before.has(s.workflow.id))?.workflow;
  const base = {
    model,
    function: spec.name,
    run,
    expectInfeasible: spec.expectInfeasible === true,
    testsTotal: spec.tests.length,
    wallMs,
    ...(stored ? { llmCalls: stored.stats.llmCalls, workflowId: stored.id } : {}),
    ...(stored?.stats.usage
      ? { tokens: { prompt: stored.stats.usage.promptTokens, answer: stored.stats.usage.answerTokens } }
      : {}),
  };
  if (!planned.ok) {
    const error = planned.error;
    return {
      ...base,
      outcome: error.kind === "INIT_CHECK" ? "refused" : "failed",
      testsPassed: 0,
      errorKinds: kindsMet(stored, error),
      error: { kind: error.kind, message: error.message },
    };
  }
  const workflow = planned.value;
  return {
    ...base,
    outcome: "completed",
    testsPassed: await replayTests(session, spec, workflow, signal),
    errorKinds: kindsMet(workflow, undefined),
    toolSteps: workflow.steps.length - 1,
  };
}

/** Every error kind in the planning's history, and the final one. */
function kindsMet(workflow: WorkflowFile | undefined, final: WorkflowError | undefined): ErrorKind[] {
  const kinds = new Set<ErrorKind>();
  for (const record of workflow?.history ?? []) if (record.error) kinds.add(record.error.kind);
  if (workflow?.lastError) kinds.add(workflow.lastError.kind);
  if (final) kinds.add(final.kind);
  return [...kinds];
}

/** Runs the new workflow (cached by the planning) on each test case, as a user's call would, and counts the cases it gets right. */
async function replayTests(
  session: WorkspaceSession,
  spec: FunctionSpec,
  workflow: WorkflowFile,
  signal: AbortSignal | undefined,
): Promise<number> {
  const compare = { ...session.runtime.config.compare, ...spec.compare };
  let passed = 0;
  for (const test of spec.tests) {
    const outcome = await session.call(spec.name, test.input, { trace: false, ...(signal ? { signal } : {}) });
    if (!outcome.ok || outcome.value.workflow.id !== workflow.id) continue;
    const expected: JsonValue | undefined = test.expected;
    if (
      expected === undefined ||
      compareOutputs(expected, outcome.value.output, compare, { outputSchema: spec.outputSchema }).length === 0
    )
      passed += 1;
  }
  return passed;
}

function progressLine(run: EvalRun, runs: number): string {
  const what =
    run.outcome === "completed"
      ? `completed, ${run.testsPassed}/${run.testsTotal} tests`
      : run.outcome === "refused"
        ? `refused${run.expectInfeasible ? " (as expected)" : ""}`
        : `failed (${run.error?.kind ?? "?"})`;
  const calls = run.llmCalls === undefined ? "" : `${run.llmCalls} LLM call${run.llmCalls === 1 ? "" : "s"}, `;
  return `[eval] ${run.model} ${run.function} run ${run.run}/${runs}: ${what} (${calls}${(run.wallMs / 1000).toFixed(1)} s)`;
}
