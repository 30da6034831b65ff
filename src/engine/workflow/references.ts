import { FORBIDDEN_KEYS } from "../json/forbiddenKeys";
import { isPlainObject } from "../json/isPlainObject";
import type { JsonValue } from "../jsonSchema";
import { err, ok, type Result } from "../result";
import type { StepArg } from "./types";

/**
 * References into step outputs: `<step>.output<path>`, e.g. `2.output.items[0].title`,
 * `0.output.city` or the whole output `1.output`. Step 0 is the function input.
 * References come from LLM output and stored files, so they are data: a path can only walk
 * own properties of plain objects and in-range array indexes, never a prototype.
 */

export type PathSegment = string | number;

export interface Reference {
  step: number;
  path: PathSegment[];
}

export type TemplatePart = { text: string } | { ref: Reference };

const STEP_NUMBER = /^(0|[1-9][0-9]*)$/;
const FIELD_NAME = /^[A-Za-z0-9_$-]+/;
const INDEX = /^\[(0|[1-9][0-9]*)\]/;
const OUTPUT_KEYWORD = ".output";

/** Parses the path after `.output`: a sequence of `.field` and `[index]` segments. */
export function parsePath(text: string): Result<PathSegment[], string> {
  const path: PathSegment[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (rest.startsWith(".")) {
      const field = FIELD_NAME.exec(rest.slice(1));
      if (!field) return err(`expected a field name after "." in "${text}"`);
      const name = field[0];
      if (FORBIDDEN_KEYS.has(name)) return err(`the path segment "${name}" is not allowed`);
      path.push(name);
      rest = rest.slice(1 + name.length);
    } else if (rest.startsWith("[")) {
      const index = INDEX.exec(rest);
      if (!index) return err(`expected an array index such as [0] in "${text}"`);
      const value = Number(index[1]);
      if (!Number.isSafeInteger(value)) return err(`array index ${index[1]} is too large`);
      path.push(value);
      rest = rest.slice(index[0].length);
    } else {
      return err(`unexpected "${rest[0]}" in path "${text}": use ".field" or "[index]"`);
    }
  }
  return ok(path);
}

/**
 * Splits `<head>.output<path>` into its head (a step number, or a step name for the planner's
 * syntax) and parsed path; `undefined` when the text does not have that shape at all.
 */
export function splitReference(text: string): { head: string; path: Result<PathSegment[], string> } | undefined {
  const at = text.indexOf(OUTPUT_KEYWORD);
  if (at <= 0) return undefined;
  const after = text.slice(at + OUTPUT_KEYWORD.length);
  if (after.length > 0 && after[0] !== "." && after[0] !== "[") return undefined;
  return { head: text.slice(0, at), path: parsePath(after) };
}

export function parseReference(text: string): Result<Reference, string> {
  const source = text.trim();
  const parts = splitReference(source);
  if (!parts) return err(`"${text}" is not a reference: expected <step>.output.<field>, e.g. "1.output.name"`);
  if (!STEP_NUMBER.test(parts.head)) return err(`"${text}" is not a reference: "${parts.head}" is not a step number`);
  const step = Number(parts.head);
  if (!Number.isSafeInteger(step)) return err(`"${text}": step number ${parts.head} is too large`);
  if (!parts.path.ok) return err(`"${text}": ${parts.path.error}`);
  return ok({ step, path: parts.path.value });
}

export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) text += typeof segment === "number" ? `[${segment}]` : `.${segment}`;
  return text;
}

export function formatReference(ref: Reference): string {
  return `${ref.step}${OUTPUT_KEYWORD}${formatPath(ref.path)}`;
}

/** A template split into literal text and the raw text of each `{{...}}` placeholder. */
export type TemplatePiece = { text: string } | { placeholder: string };

export function splitTemplate(text: string): Result<TemplatePiece[], string> {
  const pieces: TemplatePiece[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) return err(`unclosed "{{" in template "${text}"`);
    const inner = text.slice(open + 2, close);
    if (inner.includes("{{")) return err(`nested "{{" in template "${text}"`);
    if (open > from) pieces.push({ text: text.slice(from, open) });
    pieces.push({ placeholder: inner.trim() });
    from = close + 2;
  }
  if (from < text.length) pieces.push({ text: text.slice(from) });
  return ok(pieces);
}

export function parseTemplate(text: string): Result<TemplatePart[], string> {
  const pieces = splitTemplate(text);
  if (!pieces.ok) return pieces;
  const parts: TemplatePart[] = [];
  for (const piece of pieces.value) {
    if ("text" in piece) {
      parts.push(piece);
      continue;
    }
    const ref = parseReference(piece.placeholder);
    if (!ref.ok) return err(`in template: ${ref.error}`);
    parts.push({ ref: ref.value });
  }
  return ok(parts);
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Marks a reference that does not resolve, so the hot path allocates nothing on success. */
const UNRESOLVED: unique symbol = Symbol("unresolved");

/**
 * The hot-path resolver for references from parseReference (forbidden segments are already
 * refused there): returns UNRESOLVED instead of allocating a Result; resolveReference explains.
 */
function lookup(outputs: readonly unknown[], ref: Reference): unknown {
  if (ref.step < 0 || ref.step >= outputs.length) return UNRESOLVED;
  let value = outputs[ref.step];
  const path = ref.path;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment === "number") {
      if (!Array.isArray(value) || !(Number.isInteger(segment) && segment >= 0 && segment < value.length))
        return UNRESOLVED;
      value = value[segment];
    } else {
      if (!isPlainObject(value) || !Object.hasOwn(value, segment)) return UNRESOLVED;
      value = value[segment];
    }
  }
  return value;
}

export function resolveReference(outputs: readonly unknown[], ref: Reference): Result<unknown, string> {
  if (!Number.isSafeInteger(ref.step) || ref.step < 0 || ref.step >= outputs.length) {
    return err(`${formatReference(ref)}: step ${ref.step} has no output before this step`);
  }
  let value = outputs[ref.step];
  const path = ref.path;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if (typeof segment === "number") {
      if (!Array.isArray(value)) return err(unresolvable(ref, i, `is ${describeKind(value)}, not an array`));
      if (!Number.isSafeInteger(segment) || segment < 0 || segment >= value.length) {
        return err(unresolvable(ref, i, `has ${value.length} item(s); index ${segment} is out of range`));
      }
      value = value[segment];
    } else {
      if (!isPlainObject(value)) return err(unresolvable(ref, i, `is ${describeKind(value)}, not an object`));
      if (FORBIDDEN_KEYS.has(segment) || !Object.hasOwn(value, segment)) {
        return err(unresolvable(ref, i, `has no field "${segment}"`));
      }
      value = value[segment];
    }
  }
  return ok(value);
}

function explainUnresolved(outputs: readonly unknown[], ref: Reference): string {
  const resolved = resolveReference(outputs, ref);
  return resolved.ok ? `${formatReference(ref)} cannot be resolved` : resolved.error;
}

function unresolvable(ref: Reference, failingSegment: number, problem: string): string {
  const reached = formatReference({ step: ref.step, path: ref.path.slice(0, failingSegment) });
  return `${formatReference(ref)} cannot be resolved: ${reached} ${problem}`;
}

/**
 * The steps an arg reads from, in the order it names them, without repeats: its reference's
 * step, or each template placeholder's. Placeholders that are not references read nothing.
 */
export function stepsReadBy(arg: StepArg): number[] {
  if ("ref" in arg) {
    const ref = parseReference(arg.ref);
    return ref.ok ? [ref.value.step] : [];
  }
  if (!("template" in arg)) return [];
  const pieces = splitTemplate(arg.template);
  if (!pieces.ok) return [];
  const steps: number[] = [];
  for (const piece of pieces.value) {
    if (!("placeholder" in piece)) continue;
    const ref = parseReference(piece.placeholder);
    if (ref.ok && !steps.includes(ref.value.step)) steps.push(ref.value.step);
  }
  return steps;
}

/** Renders one resolved value into template text. */
function renderValue(value: unknown): Result<string, string> {
  switch (typeof value) {
    case "string":
      return ok(value);
    case "number":
    case "boolean":
    case "bigint":
      return ok(String(value));
    case "object":
      if (value === null) return err("is null");
      try {
        return ok(JSON.stringify(value));
      } catch (cause) {
        return err(`cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)})`);
      }
    default:
      return err(value === undefined ? "is undefined" : `is a ${typeof value}`);
  }
}

export function renderTemplate(parts: readonly TemplatePart[], outputs: readonly unknown[]): Result<string, string> {
  let text = "";
  for (const part of parts) {
    if ("text" in part) {
      text += part.text;
      continue;
    }
    const value = lookup(outputs, part.ref);
    if (value === UNRESOLVED) return err(explainUnresolved(outputs, part.ref));
    const rendered = renderValue(value);
    if (!rendered.ok) return err(`${formatReference(part.ref)} ${rendered.error}; it cannot be inserted into text`);
    text += rendered.value;
  }
  return ok(text);
}

type CompiledArg =
  | { name: string; kind: "value"; value: JsonValue }
  | { name: string; kind: "ref"; ref: Reference }
  | { name: string; kind: "template"; parts: readonly TemplatePart[] };

/** Step args parsed once, so that running a workflow never re-parses references. */
export interface CompiledArgs {
  readonly args: readonly CompiledArg[];
  /** Every reference the args use (refs and template placeholders). */
  readonly references: readonly Reference[];
}

export function compileArgs(args: Record<string, StepArg>): Result<CompiledArgs, string> {
  const compiled: CompiledArg[] = [];
  const references: Reference[] = [];
  for (const [name, arg] of Object.entries(args)) {
    // Assigning "__proto__" on the built input would replace its prototype.
    if (name === "__proto__") return err(`arg name "__proto__" is not allowed`);
    if ("ref" in arg) {
      const ref = parseReference(arg.ref);
      if (!ref.ok) return err(`arg "${name}": ${ref.error}`);
      compiled.push({ name, kind: "ref", ref: ref.value });
      references.push(ref.value);
    } else if ("template" in arg) {
      const parts = parseTemplate(arg.template);
      if (!parts.ok) return err(`arg "${name}": ${parts.error}`);
      compiled.push({ name, kind: "template", parts: parts.value });
      for (const part of parts.value) if ("ref" in part) references.push(part.ref);
    } else if ("value" in arg) {
      compiled.push({ name, kind: "value", value: arg.value });
    } else {
      return err(`arg "${name}": expected {value}, {ref} or {template}`);
    }
  }
  return ok({ args: compiled, references });
}

export function evaluateArgs(
  compiled: CompiledArgs,
  outputs: readonly unknown[],
): Result<Record<string, unknown>, { arg: string; message: string }> {
  const built: Record<string, unknown> = {};
  for (const arg of compiled.args) {
    switch (arg.kind) {
      case "value":
        built[arg.name] = arg.value;
        break;
      case "ref": {
        const value = lookup(outputs, arg.ref);
        if (value === UNRESOLVED) return err({ arg: arg.name, message: explainUnresolved(outputs, arg.ref) });
        built[arg.name] = value;
        break;
      }
      case "template": {
        const text = renderTemplate(arg.parts, outputs);
        if (!text.ok) return err({ arg: arg.name, message: text.error });
        built[arg.name] = text.value;
        break;
      }
    }
  }
  return ok(built);
}
