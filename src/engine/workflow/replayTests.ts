import type { CompareOptions } from "../config";
import { workflowError, type WorkflowError } from "../errors";
import type { FunctionSpec } from "../functionSpec";
import { err, ok, type Result } from "../result";
import { compareOutputs } from "./compareOutputs";
import type { CompiledWorkflow } from "./runWorkflow";
import { describeDiffs } from "./describeDiffs";
import type { OutputDiff } from "./types";

/** How one test case went: passed, or the run's error, or the output fields that differ. */
export interface CaseOutcome {
  label: string;
  input: unknown;
  ok: boolean;
  /** The workflow failed on this case (a tool threw, the output failed its schema, ...). */
  error?: WorkflowError;
  /** The output differs from the expected one. */
  diffs?: OutputDiff[];
}

export interface ReplayOptions {
  compare: CompareOptions;
  signal?: AbortSignal;
}

/**
 * Runs a compiled workflow on every test case of its function, with no LLM: planning's test
 * stage, `llmfn verify` and the re-verification of a workflow whose code changed all use it.
 * Only a cancellation or a test whose input does not match the input schema ends it early.
 */
export async function replayTests(
  compiled: CompiledWorkflow,
  spec: FunctionSpec,
  options: ReplayOptions,
): Promise<Result<CaseOutcome[], WorkflowError>> {
  const outcomes: CaseOutcome[] = [];
  for (const [index, testCase] of spec.tests.entries()) {
    const label = testCase.name ?? `case ${index + 1}`;
    const input = spec.validateInput(testCase.input);
    if (!input.ok) {
      return err(
        workflowError("INPUT_VALIDATION", "test", `Test ${label} has an input that does not match the input schema.`, {
          issues: input.error,
        }),
      );
    }
    const run = await compiled.run(input.value, {
      validateOutput: spec.validateOutput,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!run.ok) {
      if (run.error.kind === "CANCELLED") return run;
      outcomes.push({
        label,
        input: testCase.input,
        ok: false,
        error: { ...run.error, stage: "test", message: `${label}: ${run.error.message}` },
      });
      continue;
    }
    if (testCase.expected === undefined) {
      outcomes.push({ label, input: testCase.input, ok: true });
      continue;
    }
    const diffs = compareOutputs(testCase.expected, run.value.output, options.compare, {
      outputSchema: spec.outputSchema,
      steps: compiled.steps,
    });
    outcomes.push(
      diffs.length === 0
        ? { label, input: testCase.input, ok: true }
        : { label, input: testCase.input, ok: false, diffs },
    );
  }
  return ok(outcomes);
}

/** One line per failing case: which test failed and how. */
export function describeFailedCase(outcome: CaseOutcome): string {
  if (outcome.error) return outcome.error.message;
  return `${outcome.label}: ${describeDiffs(outcome.diffs ?? [])}`;
}
