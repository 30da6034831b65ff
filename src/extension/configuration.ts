import * as vscode from "vscode";
import { DEFAULT_SETTINGS, type ExtensionSettings } from "./settingsModel";

export const SECTION = "llmFunction";

/** Where each setting lives below `llmFunction.` (package.json contributes.configuration). */
const SETTING_PATHS: Record<keyof ExtensionSettings, string> = {
  host: "ollama.host",
  model: "ollama.model",
  maxRetry: "planning.maxRetry",
  resetLoops: "planning.resetLoops",
  checkVotes: "planning.checkVotes",
  storagePath: "storage.path",
  include: "discovery.include",
  exclude: "discovery.exclude",
  toolTimeoutMs: "tools.timeoutMs",
  memoryMb: "tools.memoryMb",
};

function read<T>(config: vscode.WorkspaceConfiguration, key: keyof ExtensionSettings, valid: (value: unknown) => value is T): T {
  const value = config.get<unknown>(SETTING_PATHS[key]);
  return valid(value) ? value : (DEFAULT_SETTINGS[key] as T);
}

const isString = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

/**
 * The `llmFunction.*` settings as they apply to one folder (or the window when none is given),
 * with defaults for values of the wrong type. Bounds are checked against rawSettings() by the
 * shared schema when a session opens (see FolderRuntimes), which keeps zod out of activation.
 */
export function readSettings(scope?: vscode.Uri): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    host: read(config, "host", isString),
    model: read(config, "model", isString),
    maxRetry: read(config, "maxRetry", isNumber),
    resetLoops: read(config, "resetLoops", isNumber),
    checkVotes: read(config, "checkVotes", isNumber),
    storagePath: read(config, "storagePath", isString),
    include: read(config, "include", isStringArray),
    exclude: read(config, "exclude", isStringArray),
    toolTimeoutMs: read(config, "toolTimeoutMs", isNumber),
    memoryMb: read(config, "memoryMb", isNumber),
  };
}

/** The settings as configured, keyed by full name (`llmFunction.planning.maxRetry`), for validation. */
export function rawSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return Object.fromEntries(Object.values(SETTING_PATHS).map((key) => [`${SECTION}.${key}`, config.get<unknown>(key)]));
}

/** Writes a setting where it is currently defined most specifically, so the change takes effect. */
export async function updateSetting(key: string, value: unknown, scope?: vscode.Uri): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const inspected = config.inspect(key);
  const target =
    inspected?.workspaceFolderValue !== undefined && scope
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
