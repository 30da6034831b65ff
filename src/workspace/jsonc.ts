import { err, ok, type Result } from "../engine/result";

// JSON with comments and trailing commas, as VS Code writes settings.json and tsconfig.json.
// One scanner that knows where strings are, so `//`, `/*`, `,}` and `,]` inside a string survive.

/**
 * Removes comments and trailing commas outside strings. Comments become spaces (line breaks
 * kept) and a dropped comma becomes a space, so JSON.parse positions still match the source.
 */
function stripJsonc(text: string): Result<string, SyntaxError> {
  const out = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("");
  /** Index of the last comma outside strings not yet followed by anything significant. */
  let openComma = -1;
  let i = 0;
  while (i < out.length) {
    const char = out[i];
    if (char === "/" && out[i + 1] === "/") {
      for (; i < out.length && out[i] !== "\n"; i++) out[i] = " ";
    } else if (char === "/" && out[i + 1] === "*") {
      const start = i;
      for (i += 2; i < out.length && !(out[i] === "*" && out[i + 1] === "/"); i++) if (out[i] !== "\n") out[i] = " ";
      if (i >= out.length) return err(new SyntaxError(`Unterminated /* comment starting at position ${start}`));
      out[start] = out[start + 1] = out[i] = out[i + 1] = " ";
      i += 2;
    } else if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      i++;
    } else {
      if ((char === "}" || char === "]") && openComma >= 0) out[openComma] = " ";
      openComma = char === "," ? i : -1;
      if (char === '"') {
        // Skip the string, escapes included; an unterminated one is left for JSON.parse to report.
        for (i++; i < out.length && out[i] !== '"' && out[i] !== "\n"; i++) if (out[i] === "\\") i++;
      }
      i++;
    }
  }
  return ok(out.join(""));
}

/** Parses JSONC; the error is JSON.parse's (or an unterminated comment's) SyntaxError. */
export function parseJsonc(text: string): Result<unknown, SyntaxError> {
  const stripped = stripJsonc(text);
  if (!stripped.ok) return stripped;
  try {
    return ok(JSON.parse(stripped.value) as unknown);
  } catch (error) {
    return err(error instanceof SyntaxError ? error : new SyntaxError(String(error)));
  }
}
