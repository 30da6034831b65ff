import type { CompareOptions } from "../config";
import type { WorkflowError } from "../errors";
import type { FunctionSpec } from "../functionSpec";
import type { StoredWorkflow } from "../runtimeTypes";
import type { ToolRegistry } from "../toolRegistry";
import { codeChanges, codeRecordOf, describeCodeChange, type CodeChange } from "../workflow/codeRecord";
import { describeFailedCase, replayTests, type CaseOutcome } from "../workflow/replayTests";
import { compileWorkflow, type CompiledWorkflow } from "../workflow/runWorkflow";
import type { CodeRecord } from "../workflow/types";

/** What a stored, completed workflow is worth against the current tools. */
export type Verdict =
  /** Usable. `reverified` carries the new code record when the tests had to be replayed (and passed). */
  | {
      status: "ready";
      compiled: CompiledWorkflow;
      reverified?: { code: CodeRecord; changes: CodeChange[]; tests: CaseOutcome[] };
    }
  /** Usable with a warning: the code changed and there is no test to replay. */
  | { status: "unverified"; compiled: CompiledWorkflow; changes: CodeChange[]; reason: string }
  /** Not usable: a contract changed, or the code changed and a test fails now. */
  | { status: "stale"; reason: string; error: WorkflowError; changes?: CodeChange[]; tests?: CaseOutcome[] }
  | { status: "cancelled"; error: WorkflowError };

/** The code record a stored workflow is held to: its newest re-verification's, else its own. */
export function recordedCode(stored: StoredWorkflow): CodeRecord | undefined {
  return stored.verifications?.[0]?.code ?? stored.workflow.code;
}

/**
 * Judges a stored workflow: its steps must compile against the tools' contract ids; when a tool's
 * code fingerprint differs from the recorded one, its tests are replayed (no LLM) to decide.
 */
export async function judgeStored(
  stored: StoredWorkflow,
  spec: FunctionSpec,
  tools: ToolRegistry,
  compare: CompareOptions,
  signal?: AbortSignal,
): Promise<Verdict> {
  const { workflow } = stored;
  const compiled = compileWorkflow(workflow.steps, tools);
  if (!compiled.ok) return { status: "stale", reason: compiled.error.message, error: compiled.error };
  const byName = (name: string) => tools.byName(name);
  const changes = codeChanges(recordedCode(stored), workflow.steps, byName);
  if (changes.length === 0) return { status: "ready", compiled: compiled.value };
  const changed = `code changed since it was ${stored.verifications?.length ? "last verified" : "planned"}: ${changes.map(describeCodeChange).join("; ")}`;
  if (spec.tests.length === 0) {
    return {
      status: "unverified",
      compiled: compiled.value,
      changes,
      reason: `${changed}; ${spec.name} has no test cases to replay.`,
    };
  }
  const replayed = await replayTests(compiled.value, spec, {
    compare: { ...compare, ...spec.compare },
    ...(signal ? { signal } : {}),
  });
  if (!replayed.ok) {
    if (replayed.error.kind === "CANCELLED") return { status: "cancelled", error: replayed.error };
    return { status: "stale", reason: `${changed}; ${replayed.error.message}`, error: replayed.error, changes };
  }
  const failed = replayed.value.filter((outcome) => !outcome.ok);
  if (failed.length === 0) {
    const code = codeRecordOf(workflow.steps, byName);
    return {
      status: "ready",
      compiled: compiled.value,
      ...(code ? { reverified: { code, changes, tests: replayed.value } } : {}),
    };
  }
  const first = failed[0]!;
  const error: WorkflowError = first.error ?? {
    kind: "OUTPUTS_UNEXPECTED",
    stage: "test",
    message: describeFailedCase(first),
    details: { diffs: first.diffs ?? [] },
  };
  const failures = failed.map(describeFailedCase).join("; ");
  return {
    status: "stale",
    reason: `${changed}; ${failed.length} of ${replayed.value.length} test cases fail now: ${failures}`,
    error,
    changes,
    tests: replayed.value,
  };
}
