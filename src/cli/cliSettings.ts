import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "../engine/logger";
import {
  DEFAULT_EXCLUDE,
  DEFAULT_HOST_MEMORY_MB,
  DEFAULT_INCLUDE,
  DEFAULT_TOOL_TIMEOUT_MS,
  type WorkspaceSettings,
} from "../workspace/workspaceTypes";

export const DEFAULT_MODEL = "qwen3:8b";
export const DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434";

/** The workspace settings the CLI runs with: flags, then the folder's VS Code settings, then the environment. */
export async function cliWorkspaceSettings(
  options: { workspace?: string; host?: string; model?: string },
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<WorkspaceSettings> {
  const folder = resolve(options.workspace ?? process.cwd());
  const vscode = await readVsCodeSettings(folder, logger);
  const text = (key: string): string | undefined => {
    const value = vscode[key];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  };
  const host = options.host ?? text("llmFunction.ollama.host") ?? env.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST;
  const model = options.model ?? text("llmFunction.ollama.model") ?? env.LLMFN_MODEL ?? DEFAULT_MODEL;
  return {
    folder,
    include: DEFAULT_INCLUDE,
    exclude: DEFAULT_EXCLUDE,
    llm: { type: "ollama", host: withScheme(host), model },
    toolTimeoutMs: DEFAULT_TOOL_TIMEOUT_MS,
    hostMemoryMb: DEFAULT_HOST_MEMORY_MB,
    logger,
  };
}

/** OLLAMA_HOST is often written as `host:port`. */
function withScheme(host: string): string {
  return /^https?:\/\//.test(host) ? host : `http://${host}`;
}

async function readVsCodeSettings(folder: string, logger: Logger): Promise<Record<string, unknown>> {
  const file = join(folder, ".vscode", "settings.json");
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
