import { jsonTypeOf, type JsonSchema, type JsonValue } from "../jsonSchema";
import { err, ok, type Result } from "../result";
import { formatReference, splitReference, splitTemplate, type Reference } from "./references";
import {
  acceptsType,
  dereference,
  formatTypes,
  jsonTypesOf,
  objectShape,
  schemaAtPath,
  typesCompatible,
  type ObjectShape,
} from "./schemaAtPath";
import { OUTPUT_STEP, type PlannedStep, type StepArg } from "./types";

/**
 * Deterministic adaptation of one planned step: turns the planner's raw args into step args
 * (literal, reference or template) and checks them against the earlier steps' outputs and the
 * target schema. Every problem is reported, worded for an LLM repair prompt.
 */

export interface EarlierStep {
  id: number;
  /** A tool name; step 0 is the function input, named "input". */
  name: string;
  outputSchema: JsonSchema;
}

export interface AdaptContext {
  /** 1-based position of the step being adapted. */
  stepId: number;
  /** Steps before this one, index 0 being the function input. */
  earlierSteps: readonly EarlierStep[];
  /** The tool's input schema, or the function's output schema for the `output_model` step. */
  targetSchema: JsonSchema;
}

export interface AdaptProblem {
  arg: string;
  message: string;
}

const INPUT_NAMES: ReadonlySet<string> = new Set(["input", "input_model"]);
const SOURCE_PREFIX = /^source\s*:\s*/i;
const STEP_NUMBER = /^(0|[1-9][0-9]*)$/;
const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function adaptPlannedStep(
  planned: PlannedStep,
  context: AdaptContext,
): Result<Record<string, StepArg>, AdaptProblem[]> {
  const problems: AdaptProblem[] = [];
  const target = objectShape(context.targetSchema);
  const args: Record<string, StepArg> = {};
  for (const [name, raw] of Object.entries(planned.args)) {
    const report = (message: string) => problems.push({ arg: name, message: `arg "${name}": ${message}` });
    if (name === "__proto__") {
      report(`"__proto__" is not an allowed field name`);
      continue;
    }
    const fieldSchema = targetField(target, name);
    if (fieldSchema === undefined) {
      report(
        `${describeTarget(planned.name)} has no field "${name}"; its fields are: ${describeFields(target, context.targetSchema)}`,
      );
      continue;
    }
    const arg = interpretPlannedArg(raw, context);
    if (!arg.ok) {
      report(arg.error);
      continue;
    }
    const problem = checkArg(arg.value, fieldSchema, context);
    if (problem !== undefined) {
      report(problem);
      continue;
    }
    args[name] = arg.value;
  }
  for (const name of target.required) {
    if (!Object.hasOwn(planned.args, name)) {
      const fieldSchema = target.properties[name];
      const type = fieldSchema ? ` (${formatTypes(jsonTypesOf(fieldSchema, context.targetSchema))})` : "";
      problems.push({ arg: name, message: `arg "${name}": required field "${name}"${type} is missing` });
    }
  }
  return problems.length > 0 ? err(problems) : ok(args);
}

/** The schema of one target field; undefined when the target does not accept that field. */
function targetField(target: ObjectShape, name: string): JsonSchema | undefined {
  if (Object.hasOwn(target.properties, name)) return target.properties[name];
  if (target.additionalProperties !== undefined)
    return target.additionalProperties === false ? undefined : target.additionalProperties;
  return Object.keys(target.properties).length > 0 ? undefined : {};
}

function describeTarget(stepName: string): string {
  return stepName === OUTPUT_STEP ? "the function output" : `the input of tool "${stepName}"`;
}

/**
 * Reads one planned arg. Strings in the planner's reference syntax become `{ref}`; strings
 * embedding `{{...}}` references become `{template}`; anything else is a literal. References
 * may name the step by number, by tool name (the latest earlier step of that name) or as
 * `input`/`input_model` (step 0), optionally prefixed `source:` or wrapped in `{{ }}`; they
 * come back with step numbers.
 */
export function interpretPlannedArg(raw: JsonValue, context: AdaptContext): Result<StepArg, string> {
  if (typeof raw !== "string") return ok({ value: raw });
  const trimmed = raw.trim();
  const prefixed = SOURCE_PREFIX.test(trimmed);
  const body = trimmed.replace(SOURCE_PREFIX, "");
  if (body.includes("{{")) {
    const pieces = splitTemplate(body);
    if (!pieces.ok) return err(pieces.error);
    if (pieces.value.length === 1 && "placeholder" in pieces.value[0]) {
      const ref = normalizePlannedReference(pieces.value[0].placeholder, context);
      return ref.ok ? ok({ ref: formatReference(ref.value) }) : ref;
    }
    let template = "";
    for (const piece of pieces.value) {
      if ("text" in piece) {
        template += piece.text;
        continue;
      }
      const ref = normalizePlannedReference(piece.placeholder, context);
      if (!ref.ok) return err(`in template "${raw}": ${ref.error}`);
      template += `{{${formatReference(ref.value)}}}`;
    }
    return ok({ template });
  }
  if (prefixed || splitReference(body) !== undefined) {
    const ref = normalizePlannedReference(body, context);
    return ref.ok ? ok({ ref: formatReference(ref.value) }) : ref;
  }
  return ok({ value: raw });
}

/** Parses a planner reference (`geocode.output.lat`, `input_model.output.city`, `2.output`) into step-number form. */
function normalizePlannedReference(text: string, context: AdaptContext): Result<Reference, string> {
  const source = text.trim().replace(SOURCE_PREFIX, "");
  const parts = splitReference(source);
  if (parts === undefined) {
    return err(`"${text}" is not a reference; write <step>.output.<field>, e.g. "${exampleReference(context)}"`);
  }
  const step = resolveStepHead(parts.head, context);
  if (!step.ok) return err(`"${text}": ${step.error}`);
  if (!parts.path.ok) return err(`"${text}": ${parts.path.error}`);
  return ok({ step: step.value, path: parts.path.value });
}

function resolveStepHead(head: string, context: AdaptContext): Result<number, string> {
  if (STEP_NUMBER.test(head)) {
    const step = Number(head);
    if (step === context.stepId) return err(`a step cannot use its own output (this is step ${context.stepId})`);
    if (step > context.stepId) {
      return err(
        `step ${step} runs after this step (step ${context.stepId}); only ${describeEarlierSteps(context)} can be used`,
      );
    }
    if (!context.earlierSteps.some((s) => s.id === step))
      return err(`there is no step ${step}; use ${describeEarlierSteps(context)}`);
    return ok(step);
  }
  if (INPUT_NAMES.has(head)) return ok(0);
  if (!STEP_NAME.test(head)) return err(`"${head}" is neither a step number nor a tool name`);
  for (let i = context.earlierSteps.length - 1; i >= 0; i--) {
    const step = context.earlierSteps[i];
    if (step.id !== 0 && step.name === head) return ok(step.id);
  }
  return err(`no step before this one (step ${context.stepId}) runs "${head}"; use ${describeEarlierSteps(context)}`);
}

function describeEarlierSteps(context: AdaptContext): string {
  return context.earlierSteps.map((s) => `${s.id} (${s.name})`).join(", ");
}

function exampleReference(context: AdaptContext): string {
  const last = context.earlierSteps[context.earlierSteps.length - 1];
  return last ? `${last.id}.output` : "0.output";
}

function checkArg(arg: StepArg, fieldSchema: JsonSchema, context: AdaptContext): string | undefined {
  const targetTypes = jsonTypesOf(fieldSchema, context.targetSchema);
  if ("value" in arg) return checkLiteral(arg.value, fieldSchema, context.targetSchema);
  if ("ref" in arg) {
    const ref = parsedRef(arg.ref);
    const source = sourceSchema(ref, context);
    if (!source.ok) return source.error;
    const sourceTypes = jsonTypesOf(source.value, stepOf(ref, context)?.outputSchema);
    if (!typesCompatible(sourceTypes, targetTypes)) {
      return `${arg.ref} is ${formatTypes(sourceTypes)} but the field expects ${formatTypes(targetTypes)}`;
    }
    return undefined;
  }
  if (!acceptsType(targetTypes, "string")) {
    return `a template produces text but the field expects ${formatTypes(targetTypes)}; reference a single value instead`;
  }
  for (const ref of templateRefs(arg.template)) {
    const source = sourceSchema(ref, context);
    if (!source.ok) return source.error;
  }
  return undefined;
}

function checkLiteral(value: JsonValue, fieldSchema: JsonSchema, root: JsonSchema): string | undefined {
  const targetTypes = jsonTypesOf(fieldSchema, root);
  const type = jsonTypeOf(value);
  if (!acceptsType(targetTypes, type))
    return `the literal ${JSON.stringify(value)} is ${type} but the field expects ${formatTypes(targetTypes)}`;
  const node = dereference(fieldSchema, root);
  const allowed = node?.enum;
  if (Array.isArray(allowed) && (value === null || typeof value !== "object") && !allowed.includes(value)) {
    return `the literal ${JSON.stringify(value)} is not one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  if (
    node !== undefined &&
    Object.hasOwn(node, "const") &&
    (value === null || typeof value !== "object") &&
    node.const !== value
  ) {
    return `the literal ${JSON.stringify(value)} must be ${JSON.stringify(node.const)}`;
  }
  return undefined;
}

/** References produced by interpretPlannedArg are always well formed: re-split them. */
function parsedRef(text: string): Reference {
  const parts = splitReference(text);
  return { step: Number(parts?.head), path: parts?.path.ok ? parts.path.value : [] };
}

function templateRefs(template: string): Reference[] {
  const pieces = splitTemplate(template);
  if (!pieces.ok) return [];
  return pieces.value.flatMap((piece) => ("placeholder" in piece ? [parsedRef(piece.placeholder)] : []));
}

function stepOf(ref: Reference, context: AdaptContext): EarlierStep | undefined {
  return context.earlierSteps.find((s) => s.id === ref.step);
}

/** The schema of the referenced value; a precise error naming what does exist when it does not. */
function sourceSchema(ref: Reference, context: AdaptContext): Result<JsonSchema, string> {
  const step = stepOf(ref, context);
  if (step === undefined)
    return err(`${formatReference(ref)}: there is no step ${ref.step}; use ${describeEarlierSteps(context)}`);
  const found = schemaAtPath(step.outputSchema, ref.path);
  if (found !== undefined) return ok(found);
  let existing = 0;
  while (existing < ref.path.length && schemaAtPath(step.outputSchema, ref.path.slice(0, existing + 1)) !== undefined)
    existing++;
  const reached = ref.path.slice(0, existing);
  const reachedSchema = schemaAtPath(step.outputSchema, reached) ?? step.outputSchema;
  return err(`${formatReference(ref)} does not exist; ${describeValue(step, reachedSchema, reached)}`);
}

/** A sentence saying what the value at `path` of a step's output is and how to reach inside it. */
function describeValue(step: EarlierStep, schema: JsonSchema, path: Reference["path"]): string {
  const root = step.outputSchema;
  const subject =
    path.length === 0 ? `step ${step.id} (${step.name}) outputs` : `${formatReference({ step: step.id, path })} is`;
  const types = jsonTypesOf(schema, root);
  if (types !== "any" && types.has("array") && !types.has("object")) {
    return `${subject} an array; index it, e.g. ${formatReference({ step: step.id, path: [...path, 0] })}`;
  }
  const shape = objectShape(schema, root);
  if (Object.keys(shape.properties).length === 0) return `${subject} ${formatTypes(types)} with no declared fields`;
  return `${subject} an object with fields: ${describeFields(shape, root)}`;
}

function describeFields(shape: ObjectShape, root: JsonSchema): string {
  const names = Object.keys(shape.properties);
  if (names.length === 0) return "(none declared)";
  return names.map((name) => `${name} (${formatTypes(jsonTypesOf(shape.properties[name], root))})`).join(", ");
}
