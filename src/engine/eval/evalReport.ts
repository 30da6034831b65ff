import type { ErrorKind } from "../errors";

export interface TokenCounts {
  prompt: number;
  answer: number;
}

/** How one planning of one function by one model ended. */
export type RunOutcome =
  /** A completed workflow (its tests are replayed separately). */
  | "completed"
  /** The init check judged the task impossible. */
  | "refused"
  /** Planning gave up: retries and loops spent, or an error that stops planning. */
  | "failed";

/** One planning from scratch, as the evaluation saw it. */
export interface EvalRun {
  model: string;
  function: string;
  /** 1-based. */
  run: number;
  expectInfeasible: boolean;
  outcome: RunOutcome;
  /** Test cases the completed workflow passed when replayed (0 when it did not complete). */
  testsPassed: number;
  testsTotal: number;
  /** From the stored planning; absent when the planning stored nothing (e.g. the endpoint failed). */
  llmCalls?: number;
  /** Tokens the server reported for the planning's calls; absent when it stored no usage figures. */
  tokens?: TokenCounts;
  wallMs: number;
  /** Every error kind met during the planning (attempts that were retried included), once each. */
  errorKinds: ErrorKind[];
  /** Why it failed or was refused. */
  error?: { kind: ErrorKind; message: string };
  workflowId?: string;
  /** Tool steps of the completed workflow. */
  toolSteps?: number;
}

/** A run counts as a success when a feasible task completed and passed every test, or an infeasible one was refused. */
export function isSuccess(run: EvalRun): boolean {
  if (run.expectInfeasible) return run.outcome === "refused";
  return run.outcome === "completed" && run.testsPassed === run.testsTotal;
}

/** The figures of one model on one function (or on all, for the totals). */
export interface EvalFigures {
  runs: number;
  successes: number;
  completed: number;
  refused: number;
  /** Refusals of tasks declared infeasible. */
  expectedRefusals: number;
  testsPassed: number;
  testsTotal: number;
  /** Summed over the runs that stored a planning. */
  llmCalls: number;
  /** Summed over the runs that have token figures; absent when none has. */
  tokens?: TokenCounts;
  wallMs: number;
  /** How many runs met each error kind. */
  errorKinds: Partial<Record<ErrorKind, number>>;
}

export interface EvalCell extends EvalFigures {
  model: string;
  function: string;
  expectInfeasible: boolean;
}

export interface EvalReport {
  formatVersion: 1;
  startedAt: string;
  finishedAt: string;
  workspace: string;
  /** The LLM endpoint evaluated. */
  endpoint: string;
  runsPerFunction: number;
  models: string[];
  functions: string[];
  /** True when the evaluation was cancelled before every run was made. */
  cancelled: boolean;
  cells: EvalCell[];
  totals: (EvalFigures & { model: string })[];
  runs: EvalRun[];
}

function figures(runs: readonly EvalRun[]): EvalFigures {
  const result: EvalFigures = {
    runs: runs.length,
    successes: 0,
    completed: 0,
    refused: 0,
    expectedRefusals: 0,
    testsPassed: 0,
    testsTotal: 0,
    llmCalls: 0,
    wallMs: 0,
    errorKinds: {},
  };
  for (const run of runs) {
    if (isSuccess(run)) result.successes += 1;
    if (run.outcome === "completed") result.completed += 1;
    if (run.outcome === "refused") {
      result.refused += 1;
      if (run.expectInfeasible) result.expectedRefusals += 1;
    }
    result.testsPassed += run.testsPassed;
    if (run.outcome === "completed") result.testsTotal += run.testsTotal;
    result.llmCalls += run.llmCalls ?? 0;
    if (run.tokens) {
      result.tokens ??= { prompt: 0, answer: 0 };
      result.tokens.prompt += run.tokens.prompt;
      result.tokens.answer += run.tokens.answer;
    }
    result.wallMs += run.wallMs;
    for (const kind of run.errorKinds) result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
  }
  return result;
}

export interface EvalMeta {
  startedAt: string;
  finishedAt: string;
  workspace: string;
  endpoint: string;
  runsPerFunction: number;
  models: string[];
  /** Function names in report order, with whether each is declared infeasible. */
  functions: { name: string; expectInfeasible: boolean }[];
  cancelled: boolean;
}

export function buildEvalReport(meta: EvalMeta, runs: readonly EvalRun[]): EvalReport {
  const cells: EvalCell[] = [];
  for (const model of meta.models) {
    for (const fn of meta.functions) {
      const mine = runs.filter((r) => r.model === model && r.function === fn.name);
      if (mine.length > 0)
        cells.push({ model, function: fn.name, expectInfeasible: fn.expectInfeasible, ...figures(mine) });
    }
  }
  return {
    formatVersion: 1,
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    workspace: meta.workspace,
    endpoint: meta.endpoint,
    runsPerFunction: meta.runsPerFunction,
    models: meta.models,
    functions: meta.functions.map((f) => f.name),
    cancelled: meta.cancelled,
    cells,
    totals: meta.models.map((model) => ({ model, ...figures(runs.filter((r) => r.model === model)) })),
    runs: [...runs],
  };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${((100 * part) / whole).toFixed(1)} %`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function tokensText(tokens: TokenCounts | undefined): string {
  return tokens ? `${tokens.prompt} + ${tokens.answer}` : "–";
}

function kindsText(kinds: Partial<Record<ErrorKind, number>>): string {
  const entries = Object.entries(kinds).sort(([, a], [, b]) => (b ?? 0) - (a ?? 0));
  return entries.length === 0 ? "" : entries.map(([kind, count]) => `${kind} ×${count}`).join(", ");
}

/** The report as Markdown: a success-rate table per model, then per function. */
export function evalMarkdown(report: EvalReport): string {
  const lines = [
    `# LLM Function evaluation`,
    "",
    `${report.workspace}, ${report.endpoint}, ${report.runsPerFunction} run${report.runsPerFunction === 1 ? "" : "s"} per function and model, ${report.startedAt} to ${report.finishedAt}.`,
    "A run succeeds when a feasible function gets a completed workflow that passes every test case when replayed, or when a function declared infeasible is refused.",
    ...(report.cancelled ? ["", "**Cancelled**: the figures cover the runs made before the cancellation."] : []),
    "",
    "| model | success | completed | expected refusals | tests passed | LLM calls | tokens (prompt + answer) | wall time |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const total of report.totals) {
    lines.push(
      `| ${total.model} | ${total.successes}/${total.runs} (${percent(total.successes, total.runs)}) | ${total.completed} | ${total.expectedRefusals} | ${total.testsPassed}/${total.testsTotal} | ${total.llmCalls} | ${tokensText(total.tokens)} | ${seconds(total.wallMs)} |`,
    );
  }
  for (const model of report.models) {
    lines.push(
      "",
      `## ${model}`,
      "",
      "| function | success | completed | refused | tests passed | LLM calls | tokens (prompt + answer) | wall time | error kinds met |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const cell of report.cells.filter((c) => c.model === model)) {
      const name = cell.expectInfeasible ? `${cell.function} (infeasible)` : cell.function;
      lines.push(
        `| ${name} | ${cell.successes}/${cell.runs} | ${cell.completed} | ${cell.refused} | ${cell.testsPassed}/${cell.testsTotal} | ${cell.llmCalls} | ${tokensText(cell.tokens)} | ${seconds(cell.wallMs)} | ${kindsText(cell.errorKinds)} |`,
      );
    }
  }
  lines.push("");
  return lines.join("\n");
}
