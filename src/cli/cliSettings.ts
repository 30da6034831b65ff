import { resolve } from "node:path";
import type { Logger } from "../engine/logger";
import { settingValues, workspaceSettingsFrom } from "../workspace/settings/settings";
import { parseSetting, parseSettings, type ConfiguredSettings } from "../workspace/settings/settingsSchema";
import type { WorkspaceSettings } from "../workspace/workspaceTypes";
import { readVsCodeSettings, vsCodeSettingsFile } from "./vsCodeSettingsFile";

/**
 * A value the extension would refuse, in `.vscode/settings.json`, a flag (`--host`) or the
 * environment (`OLLAMA_HOST`): a usage error. `where` reads "in <file>", "on the command line"...
 */
export class InvalidSettingError extends Error {
  override readonly name = "InvalidSettingError";
  constructor(
    readonly setting: string,
    readonly where: string,
    problem: string,
  ) {
    super(`Invalid setting ${setting} ${where}: ${problem}`);
  }
}

/**
 * The workspace settings the CLI runs with: flags, then the folder's VS Code settings, then the
 * environment, then the extension's defaults. Throws InvalidSettingError for a bad setting value.
 */
export async function cliWorkspaceSettings(
  options: { workspace?: string; host?: string; model?: string },
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<WorkspaceSettings> {
  const folder = resolve(options.workspace ?? process.cwd());
  const file = vsCodeSettingsFile(folder);
  const configured = folderSettings(await readVsCodeSettings(file, logger), file);
  const settings = settingValues((name) => configured[name]);
  settings.host = ollamaHost(options.host, configured.host, env.OLLAMA_HOST) ?? settings.host;
  settings.model = options.model ?? configured.model ?? nonBlank(env.LLMFN_MODEL) ?? settings.model;
  return workspaceSettingsFrom(folder, settings, logger);
}

/** Where the CLI's endpoint and model came from, in words, for messages about them. */
export interface LlmSources {
  host: string;
  model: string;
}

const SILENT: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * Names the source of the host and the model with the same precedence as cliWorkspaceSettings:
 * a flag, the folder's `.vscode/settings.json`, the environment, else the default. (VS Code's
 * User settings, where the Settings editor writes by default, are not among them.)
 */
export async function llmSettingSources(
  options: { workspace?: string; host?: string; model?: string },
  env: NodeJS.ProcessEnv,
): Promise<LlmSources> {
  const file = vsCodeSettingsFile(options.workspace);
  const parsed = parseSettings(await readVsCodeSettings(file, SILENT));
  const configured = parsed.ok ? parsed.value : {};
  const inFile = (key: "host" | "model") => configured[key] !== undefined;
  const fallback = "the default";
  return {
    host:
      options.host !== undefined
        ? "--host"
        : inFile("host")
          ? `llmFunction.ollama.host in ${file}`
          : nonBlank(env.OLLAMA_HOST)
            ? "OLLAMA_HOST in the environment"
            : fallback,
    model:
      options.model !== undefined
        ? "--model"
        : inFile("model")
          ? `llmFunction.ollama.model in ${file}`
          : nonBlank(env.LLMFN_MODEL)
            ? "LLMFN_MODEL in the environment"
            : fallback,
  };
}

/** Added to endpoint and model errors: which source to change, since llmfn reads no User settings. */
export function llmSourcesNote(sources: LlmSources): string {
  return (
    `The host came from ${sources.host}, the model from ${sources.model}. llmfn reads --host/--model, the workspace's ` +
    ".vscode/settings.json and OLLAMA_HOST/LLMFN_MODEL, not VS Code's User settings."
  );
}

/** An empty environment variable counts as unset, for LLMFN_MODEL as for OLLAMA_HOST. */
function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** Validates the llmFunction.* settings with the schema the extension uses too. */
function folderSettings(raw: Record<string, unknown>, file: string): ConfiguredSettings {
  const parsed = parseSettings(raw);
  if (!parsed.ok) throw new InvalidSettingError(parsed.error.setting, `in ${file}`, parsed.error.problem);
  return parsed.value;
}

/**
 * The Ollama endpoint: --host, then the folder's setting (validated with the others), then
 * OLLAMA_HOST, then the default. `host:port` (OLLAMA_HOST style) gets `http://` from workspaceSettingsFrom.
 */
function ollamaHost(
  flag: string | undefined,
  setting: string | undefined,
  fromEnv: string | undefined,
): string | undefined {
  if (flag !== undefined) return checkedHost(flag, "--host", "on the command line");
  if (setting !== undefined) return setting;
  const envHost = nonBlank(fromEnv);
  if (envHost !== undefined) return checkedHost(envHost, "OLLAMA_HOST", "in the environment");
  return undefined;
}

/** A host from outside the settings file, held to the setting's rule. */
function checkedHost(value: string, source: string, where: string): string {
  const checked = parseSetting("host", value);
  if (!checked.ok) throw new InvalidSettingError(source, where, checked.error.problem);
  if (checked.value === undefined) throw new InvalidSettingError(source, where, "must not be empty");
  return checked.value;
}
