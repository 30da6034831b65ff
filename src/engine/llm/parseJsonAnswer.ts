import { checkJsonLimits, describeViolation, VALUE_LIMITS, type JsonLimits } from "../json/jsonLimits";
import { err, ok, type Result } from "../result";

export interface ParseJsonAnswerOptions {
  /** Longer answers are refused outright (default 200 000 characters). */
  maxChars?: number;
  /** Only accept a JSON value of this kind (prose often holds stray `[1]` or `{x}` before the real answer). */
  expect?: "object" | "array";
  /** Depth and size limits of the value (default VALUE_LIMITS): nothing deeper reaches a recursive walk. */
  limits?: JsonLimits;
}

const DEFAULT_MAX_CHARS = 200_000;
/** How often the scan restarts after an opener that never closes; bounds the work to a few passes over the text. */
const MAX_RESTARTS = 16;

/**
 * The JSON value in an LLM answer. Accepts plain JSON, ```json fences, prose around the JSON
 * and `<think>` blocks; returns a short description of what was wrong otherwise (used in
 * repair prompts). Only JSON.parse builds values, so `__proto__` keys stay plain own keys.
 */
export function parseJsonAnswer(text: string, options: ParseJsonAnswerOptions = {}): Result<unknown, string> {
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  if (text.length > maxChars) {
    return err(`The answer is too long (${text.length} characters; at most ${maxChars} are accepted).`);
  }
  const cleaned = withoutThinkBlocks(text.replace(/^\uFEFF/, "")).trim();
  if (cleaned === "") return err("The answer is empty; it must be a JSON value.");

  const wanted = { expect: options.expect, limits: options.limits ?? VALUE_LIMITS };
  const whole = parseIfWanted(cleaned, wanted);
  if (whole.ok) return whole;

  let firstProblem: string | undefined;
  for (const block of fencedBlocks(cleaned)) {
    const found = findJson(block, wanted);
    if (found.ok) return found;
    firstProblem ??= found.error;
  }
  const found = findJson(cleaned, wanted);
  if (found.ok) return found;
  return err(firstProblem ?? found.error);
}

function kindOf(value: unknown): "object" | "array" | "other" {
  if (Array.isArray(value)) return "array";
  return typeof value === "object" && value !== null ? "object" : "other";
}

interface Wanted {
  expect: ParseJsonAnswerOptions["expect"];
  limits: JsonLimits;
}

function parseIfWanted(text: string, { expect, limits }: Wanted): Result<unknown, string> {
  try {
    // JSON.parse is iterative: deep text cannot overflow it, but what walks the value later can.
    const value: unknown = JSON.parse(text);
    if (expect && kindOf(value) !== expect) return err(`The answer is JSON but not an ${expect}.`);
    const violation = checkJsonLimits(value, limits);
    if (violation) return err(`The answer's JSON is refused: ${describeViolation(violation)}.`);
    return ok(value);
  } catch (error) {
    return err(`The answer's JSON is invalid: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Removes `<think>...</think>` reasoning; an unclosed `<think>` swallows the rest. Linear: indexOf only. */
function withoutThinkBlocks(text: string): string {
  const lower = text.toLowerCase();
  let result = "";
  let position = 0;
  while (position < text.length) {
    const open = lower.indexOf("<think>", position);
    if (open < 0) {
      result += text.slice(position);
      break;
    }
    result += text.slice(position, open);
    const close = lower.indexOf("</think>", open);
    if (close < 0) break;
    position = close + "</think>".length;
  }
  return result;
}

/** The contents of ``` fenced blocks (any language tag), in order. */
function fencedBlocks(text: string): string[] {
  const blocks: string[] = [];
  let position = 0;
  for (;;) {
    const open = text.indexOf("```", position);
    if (open < 0) break;
    const lineEnd = text.indexOf("\n", open);
    if (lineEnd < 0) break;
    const close = text.indexOf("```", lineEnd);
    if (close < 0) {
      blocks.push(text.slice(lineEnd + 1));
      break;
    }
    blocks.push(text.slice(lineEnd + 1, close));
    position = close + 3;
  }
  return blocks;
}

/**
 * The first balanced top-level `{...}` or `[...]` in the text that parses as JSON. Brackets
 * inside JSON strings (with escapes) do not count. A candidate that closes but does not parse is
 * skipped past; after one that never closes the scan resumes at the next opener, a bounded number of times.
 */
function findJson(text: string, wanted: Wanted): Result<unknown, string> {
  const { expect } = wanted;
  const openers = expect === "object" ? "{" : expect === "array" ? "[" : "{[";
  let firstProblem: string | undefined;
  let searchFrom = 0;
  let restarts = 0;
  for (;;) {
    const start = nextOpener(text, searchFrom, openers);
    if (start < 0) break;
    const end = balancedEnd(text, start);
    if (end < 0) {
      firstProblem ??= "The answer's JSON is cut off: a `{` or `[` is never closed.";
      if (++restarts > MAX_RESTARTS) break;
      searchFrom = start + 1;
      continue;
    }
    const candidate = parseIfWanted(text.slice(start, end + 1), wanted);
    if (candidate.ok) return candidate;
    firstProblem ??= candidate.error;
    // Not inside: a fragment of broken JSON would hide the real mistake from the repair prompt.
    searchFrom = end + 1;
  }
  return err(firstProblem ?? `The answer holds no JSON ${expect ?? "object or array"}.`);
}

function nextOpener(text: string, from: number, openers: string): number {
  for (let index = from; index < text.length; index++) {
    if (openers.includes(text[index]!)) return index;
  }
  return -1;
}

/** Index of the bracket closing the one at `start`, or -1 when the text ends first. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === "{" || char === "[") {
      depth++;
    } else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}
