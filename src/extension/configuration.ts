import * as vscode from "vscode";
import { DEFAULT_SETTINGS, type ExtensionSettings } from "./settingsModel";

export const SECTION = "llmFunction";

function read<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T, valid: (value: unknown) => value is T): T {
  const value = config.get<unknown>(key);
  return valid(value) ? value : fallback;
}

const isString = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

/** The `llmFunction.*` settings as they apply to one folder (or the window when none is given). */
export function readSettings(scope?: vscode.Uri): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const d = DEFAULT_SETTINGS;
  return {
    host: read(config, "ollama.host", d.host, isString),
    model: read(config, "ollama.model", d.model, isString),
    maxRetry: read(config, "planning.maxRetry", d.maxRetry, isNumber),
    resetLoops: read(config, "planning.resetLoops", d.resetLoops, isNumber),
    checkVotes: read(config, "planning.checkVotes", d.checkVotes, isNumber),
    storagePath: read(config, "storage.path", d.storagePath, isString),
    include: read(config, "discovery.include", d.include, isStringArray),
    exclude: read(config, "discovery.exclude", d.exclude, isStringArray),
    toolTimeoutMs: read(config, "tools.timeoutMs", d.toolTimeoutMs, isNumber),
    memoryMb: read(config, "tools.memoryMb", d.memoryMb, isNumber),
  };
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
