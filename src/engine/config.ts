import { z } from "zod";
import { DEFAULT_OLLAMA_HOST, OLLAMA_LIMITS, PLANNING_LIMITS, withHttpScheme } from "./defaults";
import { THINK_MODES } from "./llm/thinking";

/** How long Ollama keeps the model loaded after a call: long enough for one planning's calls. */
export const DEFAULT_KEEP_ALIVE = OLLAMA_LIMITS.keepAlive.default;
/** Prompt budget: an 8k-token context minus the answer's room and a margin for the chat template. */
export const DEFAULT_PROMPT_BUDGET_TOKENS = PLANNING_LIMITS.promptBudgetTokens.default;

export const ollamaBackendSchema = z.object({
  type: z.literal("ollama"),
  host: z
    .string()
    .trim()
    .min(1)
    .transform(withHttpScheme)
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }))
    .default(DEFAULT_OLLAMA_HOST),
  model: z.string().min(1),
  /** A fixed `num_ctx` instead of one sized per request (still checked against each prompt). */
  contextTokens: z.number().int().min(512).max(OLLAMA_LIMITS.contextTokens.maximum).optional(),
  /** Ollama `keep_alive`: a duration such as "5m", or seconds (default DEFAULT_KEEP_ALIVE). */
  keepAlive: z.union([z.string().regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/), z.number()]).optional(),
  /** Reasoning (Ollama `think`, default "off"): "off" keeps calls short, "on" or an effort level lets the model reason first. */
  think: z.enum(THINK_MODES).optional(),
  /** An embedding model (e.g. `nomic-embed-text`) that adds semantic ranking to tool selection. */
  embeddingModel: z.string().min(1).optional(),
});

export const openAiBackendSchema = z.object({
  type: z.literal("openai"),
  baseUrl: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
});

export const llmBackendSchema = z.discriminatedUnion("type", [ollamaBackendSchema, openAiBackendSchema]);

export const compareOptionsSchema = z.object({
  /** Skip an optional field when one side is empty (null, undefined, "", [] or {}). */
  skipOptionalEmpty: z.boolean().default(true),
  /** Round floats to this many decimals before comparing. */
  roundFloats: z.number().int().min(0).max(15).optional(),
  /** Paths (`a.b[0].c`, `items[].id`) or bare field names to ignore. */
  ignoreFields: z.array(z.string()).default([]),
  /** JSON types to ignore (`number`, `string`, ...). */
  ignoreTypes: z.array(z.string()).default([]),
});

/** An integer planning option with its default and bounds. */
function planningOption(limits: { default: number; minimum: number; maximum: number }) {
  return z.number().int().min(limits.minimum).max(limits.maximum).default(limits.default);
}

export const runtimeConfigSchema = z.object({
  llm: llmBackendSchema,
  /** Folder holding `workflows/`; omit for memory-only use. */
  storagePath: z.string().optional(),
  maxRetry: planningOption(PLANNING_LIMITS.maxRetry),
  resetLoops: planningOption(PLANNING_LIMITS.resetLoops),
  forceReplan: z.boolean().default(false),
  /** How many init-check answers to ask for; a positive one among them wins. */
  checkVotes: planningOption(PLANNING_LIMITS.checkVotes),
  /** Skip the init check entirely. */
  skipInitCheck: z.boolean().default(false),
  llmTimeoutMs: z.number().int().positive().default(120_000),
  /** Tokens the rules, tool catalog and task may take in one prompt; larger catalogs are narrowed to the most relevant tools. */
  promptBudgetTokens: planningOption(PLANNING_LIMITS.promptBudgetTokens),
  compare: compareOptionsSchema.default({ skipOptionalEmpty: true, ignoreFields: [], ignoreTypes: [] }),
});

export type LlmBackendConfig = z.output<typeof llmBackendSchema>;
export type CompareOptions = z.output<typeof compareOptionsSchema>;
export type RuntimeConfigInput = z.input<typeof runtimeConfigSchema>;
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
