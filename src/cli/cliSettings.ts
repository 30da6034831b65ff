import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import type { Logger } from "../engine/logger";
import {
  DEFAULT_EXCLUDE,
  DEFAULT_HOST_MEMORY_MB,
  DEFAULT_INCLUDE,
  DEFAULT_MODEL,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_TOOL_TIMEOUT_MS,
  type WorkspaceSettings,
} from "../workspace/workspaceTypes";


/** A blank text setting counts as unset, as a cleared field in the settings editor. */
const text = z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), z.string().optional());
const globs = z.array(z.string().min(1, "a glob pattern cannot be empty")).optional();

/** The extension's settings (package.json contributes.configuration) the CLI honours, with their bounds. */
const settingSchemas = {
  "llmFunction.ollama.host": text,
  "llmFunction.ollama.model": text,
  "llmFunction.planning.maxRetry": z.number().int().min(1).max(100).optional(),
  "llmFunction.planning.resetLoops": z.number().int().min(0).max(20).optional(),
  "llmFunction.planning.checkVotes": z.number().int().min(1).max(15).optional(),
  "llmFunction.storage.path": text,
  "llmFunction.discovery.include": globs,
  "llmFunction.discovery.exclude": globs,
  "llmFunction.tools.timeoutMs": z.number().int().min(100).optional(),
  "llmFunction.tools.memoryMb": z.number().int().min(64).optional(),
} as const;

type SettingKey = keyof typeof settingSchemas;
type FolderSettings = { [K in SettingKey]: z.output<(typeof settingSchemas)[K]> };

/** A setting in `.vscode/settings.json` with a value the extension would refuse: a usage error. */
export class InvalidSettingError extends Error {
  override readonly name = "InvalidSettingError";
  constructor(
    readonly setting: string,
    readonly file: string,
    problem: string,
  ) {
    super(`Invalid setting ${setting} in ${file}: ${problem}`);
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
  const host = options.host ?? vscode["llmFunction.ollama.host"] ?? env.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST;
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
    llm: { type: "ollama", host: withScheme(host), model },
    ...(Object.keys(runtime).length > 0 ? { runtime } : {}),
    toolTimeoutMs: vscode["llmFunction.tools.timeoutMs"] ?? DEFAULT_TOOL_TIMEOUT_MS,
    hostMemoryMb: vscode["llmFunction.tools.memoryMb"] ?? DEFAULT_HOST_MEMORY_MB,
    logger,
  };
}

/** Validates each known setting; other keys (other extensions' settings) are ignored. */
function folderSettings(raw: Record<string, unknown>, file: string): FolderSettings {
  const settings: Partial<Record<SettingKey, unknown>> = {};
  for (const key of Object.keys(settingSchemas) as SettingKey[]) {
    const parsed = settingSchemas[key].safeParse(raw[key]);
    if (!parsed.success) {
      throw new InvalidSettingError(key, file, parsed.error.issues.map((i) => (i.path.length > 0 ? `[${i.path.join(".")}] ` : "") + i.message).join("; "));
    }
    settings[key] = parsed.data;
  }
  return settings as FolderSettings;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** OLLAMA_HOST is often written as `host:port`. */
function withScheme(host: string): string {
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

async function readVsCodeSettings(file: string, logger: Logger): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(stripJsonComments(text));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    logger.warn(`Ignoring ${file}: ${(error as Error).message}`);
    return {};
  }
}

/** VS Code settings are JSONC: drop comments and trailing commas outside strings. */
export function stripJsonComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else {
      out += char;
    }
  }
  return out.replace(/,(\s*[}\]])/g, "$1");
}
