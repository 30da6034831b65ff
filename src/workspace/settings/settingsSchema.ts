import { z } from "zod";
import { withHttpScheme } from "../../engine/defaults";
import { formatIssues } from "../../engine/json/validationIssues";
import { err, ok, type Result } from "../../engine/result";
import { SETTING_NAMES, SETTINGS, type SettingDefinition, type SettingName, type SettingValues } from "./settings";

// The zod schema of the `llmFunction.*` settings, derived from the table in settings.ts, shared
// by the CLI (reading .vscode/settings.json) and the extension (reading VS Code's
// configuration), so both refuse the same values with the same message. Kept apart from
// settings.ts because zod stays out of the extension's activation bundle.

/** A blank text counts as unset, as a cleared field in the settings editor. */
const blankAsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/**
 * An http:// or https:// URL, or `host:port` (OLLAMA_HOST style, the engine adds `http://`).
 * Other schemes (`ftp://`) and bare words (`notaurl`, which would silently mean port 80) are refused.
 */
const url = z
  .string()
  .refine(isHttpEndpoint, "must be an http:// or https:// URL such as http://127.0.0.1:11434 (or host:port)");

function isHttpEndpoint(value: string): boolean {
  const trimmed = value.trim();
  const schemeless = withHttpScheme(trimmed) !== trimmed;
  if (schemeless && !/^(\[[0-9a-f:.]+\]|[^\s/:[\]]+):\d+\/?$/i.test(trimmed)) return false;
  if (!URL.canParse(withHttpScheme(trimmed))) return false;
  const parsed = new URL(withHttpScheme(trimmed));
  return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.hostname !== "";
}

const glob = z.string().min(1, "a glob pattern cannot be empty");

function integer({ minimum, maximum }: SettingDefinition): z.ZodNumber {
  const whole = z.number().int();
  const atLeast = minimum === undefined ? whole : whole.min(minimum);
  return maximum === undefined ? atLeast : atLeast.max(maximum);
}

function globs({ minItems }: SettingDefinition): z.ZodArray<typeof glob> {
  const list = z.array(glob);
  if (minItems === undefined) return list;
  const count = minItems === 1 ? "one glob pattern" : `${minItems} glob patterns`;
  return list.min(minItems, `needs at least ${count} (remove the setting to use the default)`);
}

/** A setting's schema: its value, or `undefined` where it is unset. */
function schemaOf(definition: SettingDefinition): z.ZodType<SettingValues[SettingName] | undefined> {
  switch (definition.kind) {
    case "text":
      return z.preprocess(blankAsUnset, z.string().optional());
    case "url":
      return z.preprocess(blankAsUnset, url.optional());
    case "integer":
      return integer(definition).optional();
    case "globs":
      return globs(definition).optional();
    case "choice":
      return z.enum(definition.options ?? []).optional();
  }
}

export const settingSchemas = Object.fromEntries(SETTING_NAMES.map((name) => [name, schemaOf(SETTINGS[name])])) as {
  [N in SettingName]: z.ZodType<SettingValues[N] | undefined>;
};

/** The settings a file or a scope sets, validated; the unset ones are absent. */
export type ConfiguredSettings = Partial<SettingValues>;

/** The first setting whose value is refused, and why. */
export interface InvalidSetting {
  /** The full key, e.g. `llmFunction.planning.maxRetry`. */
  setting: string;
  problem: string;
}

function problemOf(error: z.ZodError): string {
  return formatIssues(error.issues);
}

/** One setting's value validated: `undefined` where it is unset. */
export function parseSetting<N extends SettingName>(
  name: N,
  value: unknown,
): Result<SettingValues[N] | undefined, InvalidSetting> {
  const parsed = settingSchemas[name].safeParse(value);
  return parsed.success ? ok(parsed.data) : err({ setting: SETTINGS[name].key, problem: problemOf(parsed.error) });
}

/**
 * Validates each known setting of `raw` (keyed by full setting name, e.g.
 * `llmFunction.planning.maxRetry`); other keys (other extensions' settings) are ignored.
 */
export function parseSettings(raw: Readonly<Record<string, unknown>>): Result<ConfiguredSettings, InvalidSetting> {
  const settings: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const parsed = parseSetting(name, raw[SETTINGS[name].key]);
    if (!parsed.ok) return parsed;
    if (parsed.value !== undefined) settings[name] = parsed.value;
  }
  return ok(settings as ConfiguredSettings);
}

/** One line naming the setting, for notifications, logs and usage errors. */
export function describeInvalidSetting(invalid: InvalidSetting, where?: string): string {
  return `Invalid setting ${invalid.setting}${where ? ` in ${where}` : ""}: ${invalid.problem}`;
}
