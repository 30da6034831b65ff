/**
 * What one LLM call cost, as the server reported it. Ollama reports every field; an
 * OpenAI-compatible server reports tokens only (its `usage`), so durations may be absent.
 * `totalMs` is always measured here: the wall time from request to answer.
 */
export interface LlmUsage {
  promptTokens?: number;
  answerTokens?: number;
  /** Loading the model into memory (Ollama `load_duration`). */
  loadMs?: number;
  /** Evaluating the prompt (Ollama `prompt_eval_duration`). */
  promptMs?: number;
  /** Generating the answer (Ollama `eval_duration`). */
  answerMs?: number;
  totalMs: number;
}

/** The sum of every call's usage in one planning; a figure no server reported counts as 0. */
export interface UsageTotals {
  promptTokens: number;
  answerTokens: number;
  loadMs: number;
  promptMs: number;
  answerMs: number;
  totalMs: number;
}

export function emptyUsageTotals(): UsageTotals {
  return { promptTokens: 0, answerTokens: 0, loadMs: 0, promptMs: 0, answerMs: 0, totalMs: 0 };
}

export function addUsage(totals: UsageTotals, usage: LlmUsage): void {
  totals.promptTokens += usage.promptTokens ?? 0;
  totals.answerTokens += usage.answerTokens ?? 0;
  totals.loadMs += usage.loadMs ?? 0;
  totals.promptMs += usage.promptMs ?? 0;
  totals.answerMs += usage.answerMs ?? 0;
  totals.totalMs += usage.totalMs;
}

/** Nanoseconds (Ollama's unit) to whole milliseconds; undefined when the server sent nothing usable. */
export function nanosToMs(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value / 1e6) : undefined;
}

export function countOf(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** One line for logs and the CLI: `812 prompt + 95 answer tokens, load 0 ms, prompt 340 ms, answer 1210 ms`. */
export function describeUsage(usage: LlmUsage | UsageTotals): string {
  const parts: string[] = [];
  if (usage.promptTokens !== undefined || usage.answerTokens !== undefined) {
    parts.push(`${usage.promptTokens ?? "?"} prompt + ${usage.answerTokens ?? "?"} answer tokens`);
  }
  const timing: [string, number | undefined][] = [
    ["load", usage.loadMs],
    ["prompt", usage.promptMs],
    ["answer", usage.answerMs],
  ];
  for (const [label, ms] of timing) if (ms !== undefined) parts.push(`${label} ${ms} ms`);
  parts.push(`${usage.totalMs} ms in all`);
  return parts.join(", ");
}
