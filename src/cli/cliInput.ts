import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseJsonWithLimits } from "../engine/json/jsonLimits";

/** The input of `run`, read and parsed before anything else happens. */
export async function readInputArg(
  input: string,
  cwd: string,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text = input;
  if (input.startsWith("@")) {
    const file = resolve(cwd, input.slice(1));
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      return { ok: false, message: `Cannot read the input file ${file}: ${(error as Error).message}` };
    }
  }
  const parsed = parseJsonWithLimits(text);
  if (parsed.ok) return parsed;
  const { limit, message } = parsed.error;
  return {
    ok: false,
    message: limit === undefined ? `The input is not valid JSON: ${message}` : `The input is refused: ${message}.`,
  };
}
