import { z } from "zod";
import { withHttpScheme } from "../engine/defaults";
import { formatIssues } from "../engine/json/validationIssues";
import { err, ok, type Result } from "../engine/result";

// The `llmFunction.*` settings (package.json contributes.configuration) with the same bounds,
// shared by the CLI (reading .vscode/settings.json) and the extension (reading VS Code's
// configuration), so both refuse the same values with the same message.

/** A blank text setting counts as unset, as a cleared field in the settings editor. */
const text = z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), z.string().optional());

/** `host:port` is accepted (the engine adds `http://`); anything that is not a URL then is refused. */
const host = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z
    .string()
    .refine((value) => z.url().safeParse(withHttpScheme(value)).success, "must be a URL such as http://127.0.0.1:11434 (or host:port)")
    .optional(),
);

const glob = z.string().min(1, "a glob pattern cannot be empty");

/** Node's timers fire at once for anything longer (about 24.8 days), which would time out every load and call. */
const MAX_TIMER_MS = 2_147_483_647;

export const settingSchemas = {
  "llmFunction.ollama.host": host,
  "llmFunction.ollama.model": text,
  "llmFunction.planning.maxRetry": z.number().int().min(1).max(100).optional(),
  "llmFunction.planning.resetLoops": z.number().int().min(0).max(20).optional(),
  "llmFunction.planning.checkVotes": z.number().int().min(1).max(15).optional(),
  "llmFunction.storage.path": text,
  // An empty list would find no declarations: unset it to use the default instead.
  "llmFunction.discovery.include": z.array(glob).min(1, "needs at least one glob pattern (remove the setting to use the default)").optional(),
  "llmFunction.discovery.exclude": z.array(glob).optional(),
  "llmFunction.tools.timeoutMs": z.number().int().min(100).max(MAX_TIMER_MS).optional(),
  "llmFunction.tools.memoryMb": z.number().int().min(64).optional(),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

/** Each setting validated; `undefined` where it is unset (the caller applies its defaults). */
export type LlmFunctionSettings = { [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };

/** The first setting whose value is refused, and why. */
export interface InvalidSetting {
  setting: SettingKey;
  problem: string;
}

/**
 * Validates each known setting of `raw` (keyed by full setting name, e.g.
 * `llmFunction.planning.maxRetry`); other keys (other extensions' settings) are ignored.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>): Result<LlmFunctionSettings, InvalidSetting> {
  const settings: Partial<Record<SettingKey, unknown>> = {};
  for (const key of SETTING_KEYS) {
    const parsed = settingSchemas[key].safeParse(raw[key]);
    if (!parsed.success) {
      return err({ setting: key, problem: formatIssues(parsed.error.issues) });
    }
    settings[key] = parsed.data;
  }
  return ok(settings as LlmFunctionSettings);
}

/** One line naming the setting, for notifications, logs and usage errors. */
export function describeInvalidSetting(invalid: InvalidSetting, where?: string): string {
  return `Invalid setting ${invalid.setting}${where ? ` in ${where}` : ""}: ${invalid.problem}`;
}
