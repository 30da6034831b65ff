import type { CompareOptions } from "../config";
import { workflowError, type ErrorKind, type WorkflowError } from "../errors";
import { isPlainObject } from "../json/isPlainObject";
import { jsonTypeOf, type JsonSchema, type JsonValue } from "../jsonSchema";
import { stepsReadBy, type PathSegment } from "./references";
import { objectShape, schemaAtPath } from "./schemaAtPath";
import { OUTPUT_STEP, type OutputDiff, type WorkflowStep } from "./types";

/**
 * Compares an expected output with the one a workflow produced, field by field, so that the
 * planner and adaptor can be told exactly what differs and which step produced it.
 */

export interface CompareContext {
  /** The function's output schema: tells which fields are optional. */
  outputSchema?: JsonSchema;
  /** The workflow's steps: tells which step (and tool) produced a field. */
  steps?: readonly WorkflowStep[];
  /** The step building the output; defaults to the `output_model` step among `steps`. */
  outputStep?: WorkflowStep;
}

export function compareOutputs(
  expected: unknown,
  actual: unknown,
  options: CompareOptions,
  context: CompareContext = {},
): OutputDiff[] {
  const comparer = new Comparer(options, context.outputSchema);
  comparer.compare(expected, actual, [], "");
  const steps = context.steps ?? [];
  const producers = producersOf(context.outputStep ?? steps.find((step) => step.tool === OUTPUT_STEP), steps);
  if (producers.size === 0) return comparer.diffs;
  return comparer.diffs.map((diff) => {
    const producer = producers.get(topField(diff.path));
    return producer === undefined ? diff : { ...diff, producedBy: producer };
  });
}

function topField(path: string): string {
  const end = path.search(/[.[]/);
  return end < 0 ? path : path.slice(0, end);
}

/**
 * Output field → the step its value is wired from (the first reference, for templates).
 * Fields wired from a step whose tool name is not known are left out.
 */
function producersOf(
  outputStep: WorkflowStep | undefined,
  steps: readonly WorkflowStep[],
): Map<string, { step: number; tool: string }> {
  const producers = new Map<string, { step: number; tool: string }>();
  if (outputStep === undefined) return producers;
  for (const [field, arg] of Object.entries(outputStep.args)) {
    const step = stepsReadBy(arg)[0];
    if (step === undefined) continue;
    const tool = step === 0 ? "input" : steps.find((s) => s.id === step)?.tool;
    if (tool !== undefined) producers.set(field, { step, tool });
  }
  return producers;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

/** JSON type for comparison: integers and other numbers are the same type. */
function comparableType(value: unknown): string {
  const type = jsonTypeOf(value);
  return type === "integer" ? "number" : type;
}

/** Values as they appear in a diff: JSON data (a non-JSON value is shown by its text). */
function asJson(value: unknown): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(asJson);
  if (isPlainObject(value)) {
    const json: { [key: string]: JsonValue } = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) json[key] = asJson(item);
    return json;
  }
  return String(value);
}

class Comparer {
  readonly diffs: OutputDiff[] = [];
  private readonly ignoredFields: ReadonlySet<string>;
  private readonly ignoredTypes: ReadonlySet<string>;

  constructor(
    private readonly options: CompareOptions,
    private readonly schema: JsonSchema | undefined,
  ) {
    this.ignoredFields = new Set(options.ignoreFields);
    this.ignoredTypes = new Set(options.ignoreTypes);
  }

  compare(expected: unknown, actual: unknown, path: PathSegment[], text: string): void {
    if (this.isIgnoredType(expected === undefined ? actual : expected)) return;
    if (expected === undefined && actual === undefined) return;
    if (actual === undefined) {
      this.add(text, "missing_actual", expected, undefined);
      return;
    }
    if (expected === undefined) {
      this.add(text, "missing_expected", undefined, actual);
      return;
    }
    const type = comparableType(expected);
    if (type !== comparableType(actual)) {
      this.add(text, "type", expected, actual);
      return;
    }
    if (Array.isArray(expected) && Array.isArray(actual)) {
      if (expected.length !== actual.length) this.add(text, "length", expected.length, actual.length);
      const common = Math.min(expected.length, actual.length);
      for (let i = 0; i < common; i++) {
        const itemText = `${text}[${i}]`;
        if (!this.isIgnoredPath(itemText, undefined)) this.compare(expected[i], actual[i], [...path, i], itemText);
      }
      return;
    }
    if (isPlainObject(expected) && isPlainObject(actual)) {
      this.compareObjects(expected, actual, path, text);
      return;
    }
    if (!this.sameValue(expected, actual)) this.add(text, "value", expected, actual);
  }

  private compareObjects(
    expected: Record<string, unknown>,
    actual: Record<string, unknown>,
    path: PathSegment[],
    text: string,
  ): void {
    const required = this.requiredAt(path);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const key of keys) {
      const fieldText = text === "" ? key : `${text}.${key}`;
      if (this.isIgnoredPath(fieldText, key)) continue;
      const expectedValue = Object.hasOwn(expected, key) ? expected[key] : undefined;
      const actualValue = Object.hasOwn(actual, key) ? actual[key] : undefined;
      const optional = required !== undefined && !required.has(key);
      if (this.options.skipOptionalEmpty && optional && (isEmpty(expectedValue) || isEmpty(actualValue))) continue;
      this.compare(expectedValue, actualValue, [...path, key], fieldText);
    }
  }

  /** Required fields of the object at `path`; undefined without a schema (nothing is known optional). */
  private requiredAt(path: PathSegment[]): Set<string> | undefined {
    if (this.schema === undefined) return undefined;
    const node = schemaAtPath(this.schema, path);
    return node === undefined ? undefined : new Set(objectShape(node, this.schema).required);
  }

  private sameValue(expected: unknown, actual: unknown): boolean {
    const decimals = this.options.roundFloats;
    if (typeof expected === "number" && typeof actual === "number" && decimals !== undefined) {
      return round(expected, decimals) === round(actual, decimals);
    }
    return Object.is(expected, actual) || expected === actual;
  }

  /** A field is ignored by the type of its expected value (of its actual one when none is expected). */
  private isIgnoredType(value: unknown): boolean {
    if (value === undefined || this.ignoredTypes.size === 0) return false;
    const type = jsonTypeOf(value);
    return this.ignoredTypes.has(type) || (type === "integer" && this.ignoredTypes.has("number"));
  }

  /** A path is ignored by its full form (`a.b[0].c`), its wildcard form (`a.b[].c`) or its last field name. */
  private isIgnoredPath(text: string, field: string | undefined): boolean {
    if (this.ignoredFields.size === 0) return false;
    if (this.ignoredFields.has(text)) return true;
    if (field !== undefined && this.ignoredFields.has(field)) return true;
    return text.includes("[") && this.ignoredFields.has(text.replace(/\[\d+\]/g, "[]"));
  }

  private add(path: string, kind: OutputDiff["kind"], expected: unknown, actual: unknown): void {
    const diff: OutputDiff = { path: path === "" ? "(root)" : path, kind };
    if (expected !== undefined) diff.expected = asJson(expected);
    if (actual !== undefined) diff.actual = asJson(actual);
    this.diffs.push(diff);
  }
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * One error for a batch of failed test cases: their kind when they all share it, otherwise
 * OUTPUTS_UNEXPECTED. `details.cases` holds every case's error; with a single kind the first
 * error's details are kept too, so consumers reading e.g. `details.tool` still find it.
 */
export function aggregateTestErrors(errors: readonly WorkflowError[]): WorkflowError {
  const counts = new Map<ErrorKind, number>();
  for (const error of errors) counts.set(error.kind, (counts.get(error.kind) ?? 0) + 1);
  const kinds = [...counts.keys()];
  const kind: ErrorKind = kinds.length === 1 ? kinds[0] : "OUTPUTS_UNEXPECTED";
  const summary = [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
  const first = errors[0];
  const message = `${errors.length} test case(s) failed (${summary})${first === undefined ? "." : `; first: ${first.message}`}`;
  const shared = kinds.length === 1 && first !== undefined ? first.details : undefined;
  return workflowError(kind, "test", message, { ...shared, cases: [...errors], counts: Object.fromEntries(counts) });
}
