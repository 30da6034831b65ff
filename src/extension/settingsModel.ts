import * as path from "node:path";
import type { LlmBackendConfig } from "../engine/config";
import { withHttpScheme } from "../engine/defaults";
import type { Logger } from "../engine/logger";
import {
  DEFAULT_EXCLUDE,
  DEFAULT_HOST_MEMORY_MB,
  DEFAULT_INCLUDE,
  DEFAULT_MODEL,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_STORAGE_FOLDER,
  DEFAULT_TOOL_TIMEOUT_MS,
  type WorkspaceSettings,
} from "../workspace/workspaceTypes";

/** The `llmFunction.*` settings of one folder, as read from VS Code's configuration. */
export interface ExtensionSettings {
  host: string;
  model: string;
  maxRetry: number;
  resetLoops: number;
  checkVotes: number;
  storagePath: string;
  include: string[];
  exclude: string[];
  toolTimeoutMs: number;
  memoryMb: number;
}

export const DEFAULT_SETTINGS: ExtensionSettings = {
  host: DEFAULT_OLLAMA_HOST,
  model: DEFAULT_MODEL,
  maxRetry: 10,
  resetLoops: 2,
  checkVotes: 1,
  storagePath: DEFAULT_STORAGE_FOLDER,
  include: DEFAULT_INCLUDE,
  exclude: DEFAULT_EXCLUDE,
  toolTimeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
  memoryMb: DEFAULT_HOST_MEMORY_MB,
};

export function workspaceSettingsFrom(folder: string, settings: ExtensionSettings, logger?: Logger): WorkspaceSettings {
  return {
    folder,
    include: settings.include,
    exclude: settings.exclude,
    // Relative to the folder unless absolute (readSettings already replaced a blank setting by the default).
    storagePath: path.resolve(folder, settings.storagePath),
    llm: ollamaBackendOf(settings),
    runtime: { maxRetry: settings.maxRetry, resetLoops: settings.resetLoops, checkVotes: settings.checkVotes },
    toolTimeoutMs: settings.toolTimeoutMs,
    hostMemoryMb: settings.memoryMb,
    ...(logger ? { logger } : {}),
  };
}

/** The endpoint settings as the engine takes them: `host:port` (OLLAMA_HOST style) gets `http://`. */
export function ollamaBackendOf(settings: ExtensionSettings): LlmBackendConfig {
  return { type: "ollama", host: withHttpScheme(settings.host), model: settings.model };
}

/** The settings that differ between two readings (the session works out what each one needs). */
export function changedSettings(before: ExtensionSettings, after: ExtensionSettings): (keyof ExtensionSettings)[] {
  const keys = Object.keys(DEFAULT_SETTINGS) as (keyof ExtensionSettings)[];
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Ollama names `qwen3` and `qwen3:latest` the same model. */
export function modelAvailable(model: string, models: readonly string[]): boolean {
  const normalize = (name: string) => (name.includes(":") ? name : `${name}:latest`);
  return models.some((candidate) => normalize(candidate) === normalize(model));
}
