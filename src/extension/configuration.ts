import * as vscode from "vscode";
import {
  SETTING_NAMES,
  SETTINGS,
  SETTINGS_SECTION,
  settingPath,
  settingValues,
  type SettingValues,
} from "../workspace/settings/settings";

export const SECTION = SETTINGS_SECTION;

/**
 * The `llmFunction.*` settings as they apply to one folder (or the window when none is given),
 * with defaults for values of the wrong kind. Bounds are checked against rawSettings() by the
 * shared schema when a session opens (see FolderRuntimes), which keeps zod out of activation.
 */
export function readSettings(scope?: vscode.Uri): SettingValues {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return settingValues((name) => config.get<unknown>(settingPath(name)));
}

/** The settings as configured, keyed by full name (`llmFunction.planning.maxRetry`), for validation. */
export function rawSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return Object.fromEntries(SETTING_NAMES.map((name) => [SETTINGS[name].key, config.get<unknown>(settingPath(name))]));
}
