// Defaults shared by the engine, the CLI and the extension. Kept free of imports so the
// extension's activation bundle can use them without pulling in zod.
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";
export const DEFAULT_MODEL = "qwen3:8b";

/**
 * Default and bounds of each planning option of the runtime config (config.ts). The workspace
 * settings (src/workspace/settings/settings.ts) take them from here for `llmFunction.planning.*`.
 */
export const PLANNING_LIMITS = {
  maxRetry: { default: 10, minimum: 1, maximum: 100 },
  resetLoops: { default: 2, minimum: 0, maximum: 20 },
  checkVotes: { default: 1, minimum: 1, maximum: 15 },
  /** Tokens the rules, tool catalog and task may take in one prompt: an 8k context minus the answer's room and a margin. */
  promptBudgetTokens: { default: 5000, minimum: 500, maximum: 1_000_000 },
} as const;

/** Ollama options of the runtime config and the `llmFunction.ollama.*` settings. */
export const OLLAMA_LIMITS = {
  /** `num_ctx`; 0 (the setting's default) sizes it per request. */
  contextTokens: { default: 0, minimum: 0, maximum: 1_048_576 },
  /** Long enough for one planning's calls to find the model loaded. */
  keepAlive: { default: "5m" },
} as const;

/** The `llmFunction.ollama.think` values; the engine's THINK_MODES (kept here free of imports). */
export const THINK_SETTING_VALUES = ["off", "on", "low", "medium", "high"] as const;

/** `127.0.0.1:11434` (OLLAMA_HOST style) becomes `http://127.0.0.1:11434`; a URL is kept as given. */
export function withHttpScheme(host: string): string {
  const trimmed = host.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}
