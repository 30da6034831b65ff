import type { ErrorKind } from "../errors";
import { stableStringify } from "../hash";
import type { WorkflowFile, WorkflowStep } from "../workflow/types";
import { argText, stepLabels } from "./stepWiring";

/** How a workflow version fared on its function's test cases during its planning. */
export interface TestOutcome {
  status: "passed" | "failed" | "untested";
  /** What the last test attempt said ("3 cases passed", or the failure's message). */
  note: string;
  errorKind?: ErrorKind;
}

export interface WorkflowVersion {
  id: string;
  savedAt: string;
  model: string;
  completed: boolean;
  /** Tool steps, not counting `output_model`. */
  toolSteps: number;
  tests: TestOutcome;
}

export interface ArgChange {
  arg: string;
  /** The wiring as text, references named by tool (`geocode.output.lat`); absent when the arg is new. */
  before?: string;
  /** Absent when the arg was dropped. */
  after?: string;
}

export type StepChange =
  | { change: "unchanged"; tool: string; before: number; after: number }
  | { change: "added"; tool: string; after: number; args: ArgChange[] }
  | { change: "removed"; tool: string; before: number; args: ArgChange[] }
  | {
      change: "changed";
      tool: string;
      before: number;
      after: number;
      /** Arguments wired differently; empty when only the tool changed. */
      rewired: ArgChange[];
      /** Set when the step was planned against another version of the tool (its id differs). */
      toolId?: { before?: string; after?: string };
    };

/** What changed between two plannings of one function, step by step. */
export interface WorkflowDiff {
  before: WorkflowVersion;
  after: WorkflowVersion;
  /** The function's task or schemas differ (the versions belong to different contracts). */
  taskChanged: boolean;
  steps: StepChange[];
  /** True when any step, the task or a test outcome differs. */
  changed: boolean;
}

export function testOutcome(workflow: WorkflowFile): TestOutcome {
  const last = [...workflow.history].reverse().find((record) => record.stage === "test");
  if (!last) return { status: "untested", note: workflow.completed ? "no test cases" : "never reached the tests" };
  if (last.ok) return { status: "passed", note: last.note ?? "tests passed" };
  return {
    status: "failed",
    note: last.error?.message ?? last.note ?? "tests failed",
    ...(last.error ? { errorKind: last.error.kind } : {}),
  };
}

export function workflowVersion(workflow: WorkflowFile): WorkflowVersion {
  return {
    id: workflow.id,
    savedAt: workflow.savedAt,
    model: workflow.model,
    completed: workflow.completed,
    toolSteps: workflow.steps.filter((s) => s.tool !== "output_model").length,
    tests: testOutcome(workflow),
  };
}

/** Pairs of indexes of steps with the same tool, in order: a longest common subsequence of tool names. */
function alignSteps(before: readonly WorkflowStep[], after: readonly WorkflowStep[]): [number, number][] {
  const rows = before.length;
  const cols = after.length;
  const lengths = Array.from({ length: rows + 1 }, () => new Array<number>(cols + 1).fill(0));
  for (let i = rows - 1; i >= 0; i--) {
    for (let j = cols - 1; j >= 0; j--) {
      const row = lengths[i] as number[];
      row[j] =
        before[i]?.tool === after[j]?.tool
          ? (lengths[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lengths[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < rows && j < cols) {
    if (before[i]?.tool === after[j]?.tool) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if ((lengths[i + 1]?.[j] ?? 0) >= (lengths[i]?.[j + 1] ?? 0)) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}

function argsOf(step: WorkflowStep, labels: ReadonlyMap<number, string>, side: "before" | "after"): ArgChange[] {
  return Object.entries(step.args).map(([arg, value]) => ({ arg, [side]: argText(value, labels) }));
}

function rewiring(
  a: WorkflowStep,
  b: WorkflowStep,
  labelsA: ReadonlyMap<number, string>,
  labelsB: ReadonlyMap<number, string>,
): ArgChange[] {
  const names = [...new Set([...Object.keys(a.args), ...Object.keys(b.args)])];
  const changes: ArgChange[] = [];
  for (const arg of names) {
    const before = Object.hasOwn(a.args, arg)
      ? argText(a.args[arg] as WorkflowStep["args"][string], labelsA)
      : undefined;
    const after = Object.hasOwn(b.args, arg)
      ? argText(b.args[arg] as WorkflowStep["args"][string], labelsB)
      : undefined;
    if (before === after) continue;
    changes.push({ arg, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
  }
  return changes;
}

/**
 * Compares two versions of a function's workflow. Steps are matched by tool (in order), and
 * references are compared by the tool they read from, so inserting a step does not make every
 * later reference look rewired.
 */
export function diffWorkflows(before: WorkflowFile, after: WorkflowFile): WorkflowDiff {
  const labelsA = stepLabels(before.steps);
  const labelsB = stepLabels(after.steps);
  const pairs = alignSteps(before.steps, after.steps);
  const steps: StepChange[] = [];
  let i = 0;
  let j = 0;
  const flushUntil = (untilA: number, untilB: number) => {
    for (; i < untilA; i++) {
      const step = before.steps[i] as WorkflowStep;
      steps.push({ change: "removed", tool: step.tool, before: step.id, args: argsOf(step, labelsA, "before") });
    }
    for (; j < untilB; j++) {
      const step = after.steps[j] as WorkflowStep;
      steps.push({ change: "added", tool: step.tool, after: step.id, args: argsOf(step, labelsB, "after") });
    }
  };
  for (const [pa, pb] of pairs) {
    flushUntil(pa, pb);
    const a = before.steps[pa] as WorkflowStep;
    const b = after.steps[pb] as WorkflowStep;
    const rewired = rewiring(a, b, labelsA, labelsB);
    const toolChanged = a.toolId !== b.toolId;
    if (rewired.length === 0 && !toolChanged) {
      steps.push({ change: "unchanged", tool: a.tool, before: a.id, after: b.id });
    } else {
      steps.push({
        change: "changed",
        tool: a.tool,
        before: a.id,
        after: b.id,
        rewired,
        ...(toolChanged
          ? { toolId: { ...(a.toolId ? { before: a.toolId } : {}), ...(b.toolId ? { after: b.toolId } : {}) } }
          : {}),
      });
    }
    i = pa + 1;
    j = pb + 1;
  }
  flushUntil(before.steps.length, after.steps.length);
  const versionA = workflowVersion(before);
  const versionB = workflowVersion(after);
  const taskChanged = stableStringify(before.task) !== stableStringify(after.task);
  const testsChanged = versionA.tests.status !== versionB.tests.status || versionA.completed !== versionB.completed;
  return {
    before: versionA,
    after: versionB,
    taskChanged,
    steps,
    changed: taskChanged || testsChanged || steps.some((s) => s.change !== "unchanged"),
  };
}
