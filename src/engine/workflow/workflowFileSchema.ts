import { z } from "zod";
import { ERROR_KINDS, STAGES } from "../errors";
import { FILE_LIMITS, parseJsonWithLimits } from "../json/jsonLimits";
import type { WorkflowFile } from "./types";
import { WORKFLOW_FORMAT_VERSION } from "./types";

// Validates workflow files read from disk: they are reviewed and edited by people, so nothing is trusted.
const jsonValue: z.ZodType<unknown> = z.json();
const jsonObject = z.record(z.string(), jsonValue);

const workflowErrorSchema = z.object({
  kind: z.enum(ERROR_KINDS),
  stage: z.enum(STAGES),
  message: z.string(),
  details: jsonObject.optional(),
});

const stepArgSchema = z.union([
  z.object({ value: jsonValue }).strict(),
  z.object({ ref: z.string() }).strict(),
  z.object({ template: z.string() }).strict(),
]);

const stepSchema = z.object({
  id: z.number().int().positive(),
  tool: z.string().min(1),
  toolId: z.string().optional(),
  args: z.record(z.string(), stepArgSchema),
});

const diffSchema = z.object({
  path: z.string(),
  kind: z.enum(["value", "length", "missing_actual", "missing_expected", "type"]),
  expected: jsonValue.optional(),
  actual: jsonValue.optional(),
  producedBy: z.object({ step: z.number(), tool: z.string() }).optional(),
});

const count = z.number().int().nonnegative();

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

const llmCallSchema = z.object({
  calls: z.number(),
  promptChars: z.number(),
  responseChars: z.number(),
  usage: usageSchema.optional(),
  contextTokens: count.optional(),
  estimatedPromptTokens: count.optional(),
  warning: z.string().optional(),
});

const recordSchema = z.object({
  stage: z.enum(["check", "plan", "adapt", "test"]),
  loop: z.number().int(),
  attempt: z.number().int(),
  at: z.string(),
  ok: z.boolean(),
  step: z.number().int().optional(),
  note: z.string().optional(),
  llm: llmCallSchema.optional(),
  thinking: z.string().optional(),
  tools: z.array(z.string()).optional(),
  error: workflowErrorSchema.optional(),
  diffs: z.array(diffSchema).optional(),
  verdict: z.object({ decision: z.boolean(), justification: z.string() }).optional(),
});

export const workflowFileSchema = z.object({
  formatVersion: z.literal(WORKFLOW_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  inputId: z.string().regex(/^[0-9a-f]{64}$/),
  savedAt: z.iso.datetime(),
  task: z.object({
    name: z.string(),
    description: z.string(),
    inputSchema: jsonObject,
    outputSchema: jsonObject,
  }),
  model: z.string(),
  initCheck: z.object({ decision: z.boolean(), justification: z.string(), votes: z.number().int() }).nullable(),
  planningPossible: z.boolean(),
  completed: z.boolean(),
  steps: z.array(stepSchema),
  history: z.array(recordSchema),
  lastError: workflowErrorSchema.nullable(),
  stats: z.object({
    llmCalls: z.number(),
    promptChars: z.number(),
    retries: z.number(),
    loops: z.number(),
    durationMs: z.number(),
    usage: usageTotalsSchema.optional(),
  }),
});

/** Parses a workflow file's JSON text; the error says what is wrong, for the warning that skips it. */
export function parseWorkflowFile(text: string): { ok: true; value: WorkflowFile } | { ok: false; error: string } {
  // Limits first: zod walks the value recursively.
  const read = parseJsonWithLimits(text, FILE_LIMITS);
  if (!read.ok) return { ok: false, error: read.error.limit === undefined ? `not JSON (${read.error.message})` : `refused: ${read.error.message}` };
  const data = read.value;
  if (typeof data === "object" && data !== null && "formatVersion" in data && data.formatVersion !== WORKFLOW_FORMAT_VERSION) {
    return { ok: false, error: `format version ${String(data.formatVersion)} is not supported (expected ${WORKFLOW_FORMAT_VERSION})` };
  }
  const parsed = workflowFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `not a workflow file (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})` };
  }
  return { ok: true, value: parsed.data as WorkflowFile };
}
