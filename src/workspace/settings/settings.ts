import * as path from "node:path";
import type { LlmBackendConfig } from "../../engine/config";
import {
  DEFAULT_MODEL,
  DEFAULT_OLLAMA_HOST,
  OLLAMA_LIMITS,
  PLANNING_LIMITS,
  THINK_SETTING_VALUES,
  withHttpScheme,
} from "../../engine/defaults";
import type { ThinkMode } from "../../engine/llm/thinking";
import type { Logger } from "../../engine/logger";
import type { WorkspaceSettings } from "../workspaceTypes";

// The `llmFunction.*` settings: key, kind of value, default and bounds of each, in one table
// used by the extension (VS Code's configuration), the CLI (.vscode/settings.json) and the
// workspace layer. Kept free of zod so the extension's activation bundle can read settings;
// settingsSchema.ts derives the zod schema from this table.
//
// Adding a setting:
// 1. add it to SETTINGS below (its default and bounds from the engine where the engine has them,
//    see src/engine/defaults.ts), and pass it on in workspaceSettingsFrom();
// 2. contribute it in package.json with the same key, default and bounds
//    (test/workspace/settings.test.ts fails until both agree).
// A new kind of value also needs an entry in SettingKinds, isSettingValue() and settingsSchema.ts.

export const SETTINGS_SECTION = "llmFunction";

/** Relative to the workspace folder; workflows live in its `workflows/` folder. */
export const DEFAULT_STORAGE_FOLDER = ".llm-function";

/** Node's timers fire at once for anything longer (about 24.8 days), which would time out every load and call. */
const MAX_TIMER_MS = 2_147_483_647;

/** What each kind of setting holds. `text` and `url` treat a blank value as unset. */
export interface SettingKinds {
  text: string;
  url: string;
  integer: number;
  globs: string[];
  /** One of the definition's `options`. */
  choice: string;
}
export type SettingKind = keyof SettingKinds;

/** One setting; `minimum`, `maximum` and `minItems` mean what they mean in package.json's JSON schema. */
export interface SettingDefinition<K extends SettingKind = SettingKind> {
  key: `${typeof SETTINGS_SECTION}.${string}`;
  kind: K;
  default: SettingKinds[K];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  /** The values a `choice` setting takes (package.json's `enum`). */
  options?: readonly string[];
}

export const SETTINGS = {
  host: { key: "llmFunction.ollama.host", kind: "url", default: DEFAULT_OLLAMA_HOST },
  model: { key: "llmFunction.ollama.model", kind: "text", default: DEFAULT_MODEL },
  maxRetry: { key: "llmFunction.planning.maxRetry", kind: "integer", ...PLANNING_LIMITS.maxRetry },
  resetLoops: { key: "llmFunction.planning.resetLoops", kind: "integer", ...PLANNING_LIMITS.resetLoops },
  checkVotes: { key: "llmFunction.planning.checkVotes", kind: "integer", ...PLANNING_LIMITS.checkVotes },
  storagePath: { key: "llmFunction.storage.path", kind: "text", default: DEFAULT_STORAGE_FOLDER },
  // An empty list would find no declarations: unset it to use the default instead.
  include: { key: "llmFunction.discovery.include", kind: "globs", default: ["**/*.llm.{ts,mts,js,mjs}"], minItems: 1 },
  exclude: {
    key: "llmFunction.discovery.exclude",
    kind: "globs",
    default: ["**/node_modules/**", "**/dist/**", "**/out/**", "**/build/**", "**/.git/**"],
  },
  toolTimeoutMs: {
    key: "llmFunction.tools.timeoutMs",
    kind: "integer",
    default: 30_000,
    minimum: 100,
    maximum: MAX_TIMER_MS,
  },
  memoryMb: { key: "llmFunction.tools.memoryMb", kind: "integer", default: 512, minimum: 64 },
  // 0 sizes num_ctx per request; any other value is sent as is.
  contextTokens: { key: "llmFunction.ollama.contextTokens", kind: "integer", ...OLLAMA_LIMITS.contextTokens },
  keepAlive: { key: "llmFunction.ollama.keepAlive", kind: "text", default: OLLAMA_LIMITS.keepAlive.default },
  think: { key: "llmFunction.ollama.think", kind: "choice", default: "off", options: THINK_SETTING_VALUES },
  // Blank: tool selection is lexical only.
  embeddingModel: { key: "llmFunction.ollama.embeddingModel", kind: "text", default: "" },
  promptBudgetTokens: {
    key: "llmFunction.planning.promptBudgetTokens",
    kind: "integer",
    ...PLANNING_LIMITS.promptBudgetTokens,
  },
} satisfies Record<string, SettingDefinition>;

export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Every setting's value as it applies to one folder. */
export type SettingValues = { [N in SettingName]: SettingKinds[(typeof SETTINGS)[N]["kind"]] };

export const DEFAULT_SETTINGS: SettingValues = settingValues(() => undefined);

/** The key below `llmFunction.`, as `vscode.workspace.getConfiguration("llmFunction").get()` takes it. */
export function settingPath(name: SettingName): string {
  return SETTINGS[name].key.slice(SETTINGS_SECTION.length + 1);
}

/** Whether a value has the setting's kind (bounds are the schema's job, see settingsSchema.ts). */
export function isSettingValue(kind: SettingKind, value: unknown): boolean {
  switch (kind) {
    case "text":
    case "url":
      return typeof value === "string" && value.trim() !== "";
    case "integer":
      return typeof value === "number" && Number.isFinite(value);
    case "globs":
      return Array.isArray(value) && value.every((item) => typeof item === "string");
    case "choice":
      return typeof value === "string";
  }
}

/** Each setting as `read` gives it, or its default where that is unset or of the wrong kind. */
export function settingValues(read: (name: SettingName) => unknown): SettingValues {
  const entries = SETTING_NAMES.map((name) => {
    const value = read(name);
    const definition: SettingDefinition = SETTINGS[name];
    const valid =
      isSettingValue(definition.kind, value) &&
      (definition.options === undefined || definition.options.includes(value as string));
    return [name, valid ? value : definition.default];
  });
  return Object.fromEntries(entries) as SettingValues;
}

/** The settings that differ between two readings (the session works out what each one needs). */
export function changedSettings(before: SettingValues, after: SettingValues): SettingName[] {
  return SETTING_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]));
}

/** The storage folder: the setting relative to the workspace folder unless absolute, `.llm-function` when unset. */
export function storagePathIn(folder: string, storagePath: string = DEFAULT_STORAGE_FOLDER): string {
  return path.resolve(folder, storagePath);
}

type BackendSettings = Pick<SettingValues, "host" | "model"> &
  Partial<Pick<SettingValues, "contextTokens" | "keepAlive" | "think" | "embeddingModel">>;

/** The endpoint settings as the engine takes them: `host:port` (OLLAMA_HOST style) gets `http://`. */
export function llmBackendOf(settings: BackendSettings): LlmBackendConfig {
  const keepAlive = settings.keepAlive?.trim();
  const embeddingModel = settings.embeddingModel?.trim();
  return {
    type: "ollama",
    host: withHttpScheme(settings.host),
    model: settings.model,
    ...(settings.contextTokens ? { contextTokens: settings.contextTokens } : {}),
    // Defaults are left to the engine, which applies the same ones.
    ...(keepAlive && keepAlive !== OLLAMA_LIMITS.keepAlive.default
      ? { keepAlive: /^-?\d+$/.test(keepAlive) ? Number(keepAlive) : keepAlive }
      : {}),
    ...(settings.think && settings.think !== "off" ? { think: settings.think as ThinkMode } : {}),
    ...(embeddingModel ? { embeddingModel } : {}),
  };
}

/** What a WorkspaceSession of `folder` is opened (or updated) with. */
export function workspaceSettingsFrom(folder: string, settings: SettingValues, logger?: Logger): WorkspaceSettings {
  return {
    folder,
    include: settings.include,
    exclude: settings.exclude,
    storagePath: storagePathIn(folder, settings.storagePath),
    llm: llmBackendOf(settings),
    runtime: {
      maxRetry: settings.maxRetry,
      resetLoops: settings.resetLoops,
      checkVotes: settings.checkVotes,
      promptBudgetTokens: settings.promptBudgetTokens,
    },
    toolTimeoutMs: settings.toolTimeoutMs,
    hostMemoryMb: settings.memoryMb,
    ...(logger ? { logger } : {}),
  };
}
