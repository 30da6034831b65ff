import { err, ok, type Result } from "../result";

/**
 * Depth and size limits for JSON that comes in from outside (model answers, files, inputs, tool
 * outputs, messages). They are checked before anything recursive (zod, JSON.stringify, our own
 * walks) touches the value: zod overflows the stack at about 2,000 levels, JSON.stringify a
 * little deeper, and the check itself is iterative so no value can overflow it.
 */
export interface JsonLimits {
  /** Nesting of arrays and objects; the top-level value is at depth 1 when it is a container. */
  maxDepth: number;
  /** Arrays, objects and leaves together. */
  maxNodes: number;
  /** Characters of one string (or one key). */
  maxStringLength: number;
  /** Characters of every string and key together: a cheap stand-in for the serialized size. */
  maxTotalChars: number;
}

/** For values: function input, tool input and output, model answers. */
export const VALUE_LIMITS: JsonLimits = {
  maxDepth: 128,
  maxNodes: 1_000_000,
  maxStringLength: 16 * 1024 * 1024,
  maxTotalChars: 64 * 1024 * 1024,
};

/**
 * For workflow files, which wrap values (an argument's literal, a test's expected output in a
 * diff) a few levels down: anything the engine saves within VALUE_LIMITS reads back.
 */
export const FILE_LIMITS: JsonLimits = { ...VALUE_LIMITS, maxDepth: VALUE_LIMITS.maxDepth + 32 };

export type JsonLimitKind = "depth" | "nodes" | "string" | "size" | "unreadable";

/** Which limit a value broke, where (`$.steps[0].args`), and a sentence saying so. */
export interface JsonLimitViolation {
  limit: JsonLimitKind;
  path: string;
  message: string;
}

interface Frame {
  value: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string | number | undefined;
}

/**
 * The first limit the value breaks, or undefined. Walks arrays and plain objects' own enumerable
 * keys, as JSON.stringify does; other values are leaves. A cyclic value breaks the depth limit.
 * A getter or proxy that throws is reported as unreadable, never thrown.
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits = VALUE_LIMITS): JsonLimitViolation | undefined {
  return withinLimits(value, limits) ? undefined : firstViolation(value, limits);
}

/** Running totals of the quick pass. */
interface Tally {
  nodes: number;
  chars: number;
}

/**
 * The quick pass, run on every value a call passes (a dozen per workflow call): plain recursion
 * with no allocation per node. It recurses at most `maxDepth` levels, so it cannot overflow the
 * stack; it answers only yes or no, and anything unusual (a throwing getter) counts as no, so that
 * the careful walk below finds and words the violation.
 */
function withinLimits(value: unknown, limits: JsonLimits): boolean {
  const tally: Tally = { nodes: 0, chars: 0 };
  try {
    return fits(value, 0, limits, tally);
  } catch {
    return false;
  }
}

function fits(item: unknown, depth: number, limits: JsonLimits, tally: Tally): boolean {
  if (++tally.nodes > limits.maxNodes) return false;
  if (typeof item === "string") {
    tally.chars += item.length;
    return item.length <= limits.maxStringLength && tally.chars <= limits.maxTotalChars;
  }
  if (typeof item !== "object" || item === null || ArrayBuffer.isView(item)) return true;
  if (depth + 1 > limits.maxDepth) return false;
  if (Array.isArray(item)) {
    for (let index = 0; index < item.length; index++) if (!fits(item[index], depth + 1, limits, tally)) return false;
    return true;
  }
  const record = item as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    tally.chars += key.length;
    if (key.length > limits.maxStringLength || tally.chars > limits.maxTotalChars) return false;
    if (!fits(record[key], depth + 1, limits, tally)) return false;
  }
  return true;
}

/** The careful walk: iterative, so no value can overflow it, and it says which limit broke where. */
function firstViolation(value: unknown, limits: JsonLimits): JsonLimitViolation | undefined {
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  let nodes = 0;
  let totalChars = 0;
  let current: Frame | undefined;
  const violation = (limit: JsonLimitKind, frame: Frame, message: string): JsonLimitViolation => ({
    limit,
    path: pathOf(frame),
    message,
  });
  try {
    while ((current = stack.pop()) !== undefined) {
      const frame = current;
      if (++nodes > limits.maxNodes) return violation("nodes", frame, `it has more than ${limits.maxNodes} values`);
      // Read here, not when pushed, so a getter that throws is reported at its own path.
      if (frame.parent !== undefined)
        frame.value = (frame.parent.value as Record<string | number, unknown>)[frame.key as string | number];
      const item = frame.value;
      if (typeof item === "string") {
        if (item.length > limits.maxStringLength) {
          return violation(
            "string",
            frame,
            `a string is ${item.length} characters long; at most ${limits.maxStringLength} are accepted`,
          );
        }
        totalChars += item.length;
        if (totalChars > limits.maxTotalChars)
          return violation("size", frame, `its strings hold more than ${limits.maxTotalChars} characters`);
        continue;
      }
      if (typeof item !== "object" || item === null || ArrayBuffer.isView(item)) continue;
      const depth = frame.depth + 1;
      if (depth > limits.maxDepth) {
        return violation("depth", frame, `it is nested more than ${limits.maxDepth} levels deep (or refers to itself)`);
      }
      if (Array.isArray(item)) {
        for (let index = item.length - 1; index >= 0; index--)
          stack.push({ value: undefined, depth, parent: frame, key: index });
        continue;
      }
      const record = item as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key.length > limits.maxStringLength) {
          return violation(
            "string",
            frame,
            `a key is ${key.length} characters long; at most ${limits.maxStringLength} are accepted`,
          );
        }
        totalChars += key.length;
        if (totalChars > limits.maxTotalChars)
          return violation("size", frame, `its strings hold more than ${limits.maxTotalChars} characters`);
        stack.push({ value: undefined, depth, parent: frame, key });
      }
      if (stack.length > limits.maxNodes)
        return violation("nodes", frame, `it has more than ${limits.maxNodes} values`);
    }
  } catch (error) {
    const where = current ?? { value, depth: 0, parent: undefined, key: undefined };
    return violation(
      "unreadable",
      where,
      `it cannot be read as JSON (${error instanceof Error ? error.message : "a getter threw"})`,
    );
  }
  return undefined;
}

/** `$`, `$.steps[2].args.city`, `$["odd key"]`: where a violation is, at most 12 levels shown. */
function pathOf(frame: Frame): string {
  const keys: (string | number)[] = [];
  for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.push(at.key);
  keys.reverse();
  const shown = keys.length > 12 ? [...keys.slice(0, 6), "…", ...keys.slice(-5)] : keys;
  return `$${shown
    .map((key) =>
      typeof key === "number"
        ? `[${key}]`
        : key === "…" || /^[A-Za-z_$][\w$]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join("")}`;
}

/** "nested more than 128 levels deep (at $.a.b)": a violation as a clause for an error message. */
export function describeViolation(violation: JsonLimitViolation): string {
  return violation.path === "$" ? violation.message : `${violation.message} (at ${violation.path})`;
}

/**
 * JSON text to a value within the limits; a syntax error comes back without `limit`, as JSON.parse words it. The text's length is checked before parsing
 * (JSON.parse itself is iterative in V8: deep text cannot overflow it), the value after.
 */
export function parseJsonWithLimits(
  text: string,
  limits: JsonLimits = VALUE_LIMITS,
): Result<unknown, { limit?: JsonLimitKind; message: string }> {
  if (text.length > limits.maxTotalChars) {
    return err({
      limit: "size",
      message: `it is ${text.length} characters long; at most ${limits.maxTotalChars} are accepted`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return err({ message: error instanceof Error ? error.message : String(error) });
  }
  const violation = checkJsonLimits(value, limits);
  return violation ? err({ limit: violation.limit, message: describeViolation(violation) }) : ok(value);
}
