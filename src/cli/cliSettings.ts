import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { withHttpScheme } from "../engine/defaults";
import { isPlainObject } from "../engine/json/isPlainObject";
import { formatIssues } from "../engine/json/validationIssues";
import type { Logger } from "../engine/logger";
import { parseJsonc } from "../workspace/jsonc";
import { parseSettings, settingSchemas, type LlmFunctionSettings } from "../workspace/settingsSchema";
import {
  DEFAULT_EXCLUDE,
  DEFAULT_HOST_MEMORY_MB,
  DEFAULT_INCLUDE,
  DEFAULT_MODEL,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_TOOL_TIMEOUT_MS,
  type WorkspaceSettings,
} from "../workspace/workspaceTypes";

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
  const file = join(folder, ".vscode", "settings.json");
  const vscode = folderSettings(await readVsCodeSettings(file, logger), file);
  const host = ollamaHost(options.host, vscode["llmFunction.ollama.host"], env.OLLAMA_HOST);
  const model = options.model ?? vscode["llmFunction.ollama.model"] ?? env.LLMFN_MODEL ?? DEFAULT_MODEL;
  const storage = vscode["llmFunction.storage.path"];
  const runtime = {
    ...optional("maxRetry", vscode["llmFunction.planning.maxRetry"]),
    ...optional("resetLoops", vscode["llmFunction.planning.resetLoops"]),
    ...optional("checkVotes", vscode["llmFunction.planning.checkVotes"]),
  };
  return {
    folder,
    include: vscode["llmFunction.discovery.include"] ?? DEFAULT_INCLUDE,
    exclude: vscode["llmFunction.discovery.exclude"] ?? DEFAULT_EXCLUDE,
    ...(storage === undefined ? {} : { storagePath: isAbsolute(storage) ? storage : resolve(folder, storage) }),
    llm: { type: "ollama", host, model },
    ...(Object.keys(runtime).length > 0 ? { runtime } : {}),
    toolTimeoutMs: vscode["llmFunction.tools.timeoutMs"] ?? DEFAULT_TOOL_TIMEOUT_MS,
    hostMemoryMb: vscode["llmFunction.tools.memoryMb"] ?? DEFAULT_HOST_MEMORY_MB,
    logger,
  };
}

/** Validates the llmFunction.* settings with the schema the extension uses too. */
function folderSettings(raw: Record<string, unknown>, file: string): LlmFunctionSettings {
  const parsed = parseSettings(raw);
  if (!parsed.ok) throw new InvalidSettingError(parsed.error.setting, `in ${file}`, parsed.error.problem);
  return parsed.value;
}

/**
 * The Ollama endpoint: --host, then the folder's setting (validated with the others), then
 * OLLAMA_HOST. `host:port` (OLLAMA_HOST style) gets `http://` as the engine would add it.
 */
function ollamaHost(flag: string | undefined, setting: string | undefined, fromEnv: string | undefined): string {
  if (flag !== undefined) return checkedHost(flag, "--host", "on the command line");
  if (setting !== undefined) return withHttpScheme(setting);
  if (fromEnv !== undefined && fromEnv.trim() !== "") return checkedHost(fromEnv, "OLLAMA_HOST", "in the environment");
  return DEFAULT_OLLAMA_HOST;
}

/** A host from outside the settings file, held to the setting's rule. */
function checkedHost(value: string, source: string, where: string): string {
  const checked = settingSchemas["llmFunction.ollama.host"].safeParse(value);
  if (!checked.success || checked.data === undefined) {
    const problem = checked.success ? "must not be empty" : formatIssues(checked.error.issues);
    throw new InvalidSettingError(source, where, problem);
  }
  return withHttpScheme(checked.data);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** The folder's VS Code settings; a missing file means none, an unreadable or malformed one is ignored with a warning. */
async function readVsCodeSettings(file: string, logger: Logger): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") logger.warn(`Ignoring ${file}: cannot read it (${(error as Error).message}).`);
    return {};
  }
  const parsed = parseJsonc(text);
  if (!parsed.ok) {
    logger.warn(`Ignoring ${file}: ${parsed.error.message}`);
    return {};
  }
  const settings = parsed.value;
  if (isPlainObject(settings)) return settings;
  logger.warn(`Ignoring ${file}: it does not hold a JSON object.`);
  return {};
}
