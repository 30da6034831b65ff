import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isPlainObject } from "../engine/json/isPlainObject";
import type { Logger } from "../engine/logger";
import { parseJsonc } from "../workspace/jsonc";

/** The folder's `.vscode/settings.json`, the only VS Code settings llmfn reads. */
export function vsCodeSettingsFile(workspace: string | undefined): string {
  return join(resolve(workspace ?? process.cwd()), ".vscode", "settings.json");
}

/** The folder's VS Code settings; a missing file means none, an unreadable or malformed one is ignored with a warning. */
export async function readVsCodeSettings(file: string, logger: Logger): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      logger.warn(`Ignoring ${file}: cannot read it (${(error as Error).message}).`);
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
