import { z } from "zod";
import { ERROR_KINDS, STAGES, type WorkflowError } from "../errors";
import { isPlainObject } from "../json/isPlainObject";
import { FILE_LIMITS, parseJsonWithLimits } from "../json/jsonLimits";
import { formatIssue } from "../json/validationIssues";
import type { JsonValue } from "../jsonSchema";
import { WORKFLOW_FORMAT_VERSION, type VerificationRecord, type WorkflowFile } from "./types";

// Validates workflow files read from disk: they are reviewed and edited by people, so nothing is trusted.
// The file's types (types.ts) are derived from these schemas, so a field cannot be added to one and not the other.
const jsonValue: z.ZodType<JsonValue> = z.json();
const jsonObject = z.record(z.string(), jsonValue);

// Typed as the engine's error: a stored error is one the engine reported, details being JSON once saved.
const workflowErrorSchema: z.ZodType<WorkflowError> = z.object({
  kind: z.enum(ERROR_KINDS),
  stage: z.enum(STAGES),
  message: z.string(),
  details: jsonObject.optional(),
});

/**
 * How one argument of a step is wired:
 * - `value`: a JSON literal, kept as planned;
 * - `ref`: `"<step>.output.<path>"`, e.g. `"2.output.items[0].title"`; step 0 is the function input;
 * - `template`: a string embedding references, e.g. `"Weather in {{0.output.city}}: {{1.output.forecast}}"`.
 */
export const stepArgSchema = z.union([
  z.object({ value: jsonValue }).strict(),
  z.object({ ref: z.string() }).strict(),
  z.object({ template: z.string() }).strict(),
]);

export const stepSchema = z.object({
  /** 1..N; step 0 is the function's input and is not listed. */
  id: z.number().int().positive(),
  /** A tool name, or `output_model` for the last step. */
  tool: z.string().min(1),
  /** The tool id the step was planned against (absent for `output_model`). */
  toolId: z.string().optional(),
  args: z.record(z.string(), stepArgSchema),
});

/** One field that differs between an expected and an actual output. */
export const diffSchema = z.object({
  path: z.string(),
  kind: z.enum(["value", "length", "missing_actual", "missing_expected", "type"]),
  expected: jsonValue.optional(),
  actual: jsonValue.optional(),
  /** Which workflow step produced the field, when the output step wires it from one. */
  producedBy: z.object({ step: z.number(), tool: z.string() }).optional(),
});

const count = z.number().int().nonnegative();

/** What one LLM call cost (see LlmUsage). */
const usageSchema = z.object({
  promptTokens: count.optional(),
  answerTokens: count.optional(),
  loadMs: count.optional(),
  promptMs: count.optional(),
  answerMs: count.optional(),
  totalMs: count,
});

const usageTotalsSchema = z.object({
  promptTokens: count,
  answerTokens: count,
  loadMs: count,
  promptMs: count,
  answerMs: count,
  totalMs: count,
});

/** What one LLM call of a planning sent, got back and cost. */
export const llmCallSchema = z.object({
  calls: z.number(),
  promptChars: z.number(),
  responseChars: z.number(),
  /** Tokens and durations as the server reported them. */
  usage: usageSchema.optional(),
  /** The `num_ctx` sent (Ollama). */
  contextTokens: count.optional(),
  estimatedPromptTokens: count.optional(),
  /** Set when the server evaluated far fewer prompt tokens than were sent. */
  warning: z.string().optional(),
});

/** One entry of the planning history kept in a workflow file. */
export const recordSchema = z.object({
  stage: z.enum(["check", "plan", "adapt", "test"]),
  loop: z.number().int(),
  attempt: z.number().int(),
  at: z.string(),
  ok: z.boolean(),
  /** Adaptor entries name the step they adapted. */
  step: z.number().int().optional(),
  /** What the LLM was told and answered (trimmed), or what the deterministic pass did. */
  note: z.string().optional(),
  llm: llmCallSchema.optional(),
  /** A reasoning model's thinking for this call (trimmed), kept out of answer parsing. */
  thinking: z.string().optional(),
  /** The tools this call's prompt showed, by name. */
  tools: z.array(z.string()).optional(),
  error: workflowErrorSchema.optional(),
  diffs: z.array(diffSchema).optional(),
  /** Check entries carry the verdict. */
  verdict: z.object({ decision: z.boolean(), justification: z.string() }).optional(),
});

/** A planning's figures, summed over its calls. */
export const statsSchema = z.object({
  llmCalls: z.number(),
  promptChars: z.number(),
  retries: z.number(),
  loops: z.number(),
  durationMs: z.number(),
  /** Tokens and model time summed over every LLM call (absent in files written before it was recorded). */
  usage: usageTotalsSchema.optional(),
});

export const taskSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: jsonObject,
  outputSchema: jsonObject,
});

export const initCheckSchema = z.object({ decision: z.boolean(), justification: z.string(), votes: z.number().int() });

const hashes = z.record(z.string(), z.string());

/**
 * The code a workflow was planned (or last re-verified) against: each tool's code fingerprint and
 * the modules and packages behind them (see ToolCode), so that a change can be named.
 */
export const codeRecordSchema = z.object({
  /** Code fingerprint of each tool the workflow uses, by tool name. */
  tools: hashes,
  /** Every module of those tools' import closures, relative to the workspace folder, with its hash. */
  modules: hashes,
  /** Every package those closures import, with its version. */
  packages: hashes,
});

/** The stored artifact: one planning of one function, complete or not. */
export const workflowFileSchema = z.object({
  formatVersion: z.literal(WORKFLOW_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  inputId: z.string().regex(/^[0-9a-f]{64}$/),
  savedAt: z.iso.datetime(),
  task: taskSchema,
  model: z.string(),
  initCheck: initCheckSchema.nullable(),
  planningPossible: z.boolean(),
  completed: z.boolean(),
  steps: z.array(stepSchema),
  /** Absent when the tools' loader could not tell their code (in-process tools) or nothing was planned. */
  code: codeRecordSchema.optional(),
  history: z.array(recordSchema),
  lastError: workflowErrorSchema.nullable(),
  stats: statsSchema,
});

/** Parses a workflow file's JSON text; the error says what is wrong, for the warning that skips it. */
export function parseWorkflowFile(text: string): { ok: true; value: WorkflowFile } | { ok: false; error: string } {
  // Limits first: zod walks the value recursively.
  const read = parseJsonWithLimits(text, FILE_LIMITS);
  if (!read.ok)
    return {
      ok: false,
      error: read.error.limit === undefined ? `not JSON (${read.error.message})` : `refused: ${read.error.message}`,
    };
  const data = read.value;
  if (isPlainObject(data) && "formatVersion" in data && data.formatVersion !== WORKFLOW_FORMAT_VERSION) {
    return {
      ok: false,
      error: `format version ${String(data.formatVersion)} is not supported (expected ${WORKFLOW_FORMAT_VERSION})`,
    };
  }
  const parsed = workflowFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `not a workflow file (${issue ? formatIssue(issue) : "invalid"})` };
  }
  return { ok: true, value: parsed.data };
}

/**
 * A stored workflow re-verified against changed code by replaying its tests, with no LLM. Kept
 * in a file of its own beside the workflow files, which are never rewritten (append-only).
 */
export const verificationRecordSchema = z.object({
  formatVersion: z.literal(WORKFLOW_FORMAT_VERSION),
  kind: z.literal("verification"),
  workflowId: z.string().regex(/^[A-Za-z0-9-]+$/),
  inputId: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  /** The code the tests passed on: from now on the workflow's code record. */
  code: codeRecordSchema,
  /** What had changed, as told to the user. */
  changes: z.array(z.string()),
  /** Test cases replayed (all passed). */
  tests: z.number().int().nonnegative(),
});

/** Parses a verification record's JSON text; the error says what is wrong, for the warning that skips it. */
export function parseVerificationRecord(
  text: string,
): { ok: true; value: VerificationRecord } | { ok: false; error: string } {
  const read = parseJsonWithLimits(text, FILE_LIMITS);
  if (!read.ok)
    return {
      ok: false,
      error: read.error.limit === undefined ? `not JSON (${read.error.message})` : `refused: ${read.error.message}`,
    };
  const parsed = verificationRecordSchema.safeParse(read.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `not a verification record (${issue ? formatIssue(issue) : "invalid"})` };
  }
  return { ok: true, value: parsed.data };
}
