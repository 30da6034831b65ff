import type { z } from "zod";
import { sha256, stableStringify } from "../hash";
import { toJsonSchema, type JsonSchema } from "../jsonSchema";
import { err, ok, type Result } from "../result";

import type { ValidationIssue } from "../json/validationIssues";

export type { ValidationIssue } from "../json/validationIssues";

export interface ToolCallContext {
  signal?: AbortSignal;
}

/** What the planner and the workflow files know of a tool: data only. */
export interface ToolSpec {
  /** SHA-256 over name, description, both JSON Schemas and the handler's source text. */
  id: string;
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  tags: string[];
  metadata: Record<string, unknown>;
}

/**
 * A tool the engine can run. In-process tools validate with their zod schemas; the
 * workspace layer supplies tools whose `invoke` crosses into an isolated host process.
 */
export interface Tool extends ToolSpec {
  validateInput(value: unknown): Result<unknown, ValidationIssue[]>;
  validateOutput(value: unknown): Result<unknown, ValidationIssue[]>;
  /** Runs the tool on already-validated input; throws (or rejects) when the tool fails. */
  invoke(input: unknown, context: ToolCallContext): Promise<unknown> | unknown;
}

export interface ToolDefinition<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  description: string;
  input: I;
  output: O;
  tags?: string[];
  metadata?: Record<string, unknown>;
}

export type ToolHandler<I extends z.ZodType, O extends z.ZodType> = (
  input: z.output<I>,
  context: ToolCallContext,
) => z.input<O> | Promise<z.input<O>>;

/** Marks objects made by `tool()`, across copies of this module (discovery bundles its own). */
export const TOOL_MARK = Symbol.for("llm-function.tool");

export interface DefinedTool<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> extends Tool {
  readonly [TOOL_MARK]: true;
  readonly input: I;
  readonly output: O;
  readonly handler: ToolHandler<I, O>;
}

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

export function toolId(spec: Omit<ToolSpec, "id" | "tags" | "metadata">, handlerSource: string): string {
  return sha256(spec.name, spec.description, stableStringify(spec.inputSchema), stableStringify(spec.outputSchema), handlerSource);
}

export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
    message: issue.message,
    code: issue.code,
  }));
}

export function validateWith(schema: z.ZodType, value: unknown): Result<unknown, ValidationIssue[]> {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : err(zodIssues(parsed.error));
}

/** Declares a typed tool: one input object, one output object, a handler between them. */
export function tool<I extends z.ZodType, O extends z.ZodType>(
  definition: ToolDefinition<I, O>,
  handler: ToolHandler<I, O>,
): DefinedTool<I, O> {
  if (!TOOL_NAME.test(definition.name) || definition.name === "output_model" || definition.name === "input") {
    throw new TypeError(
      `Invalid tool name ${JSON.stringify(definition.name)}: use letters, digits, '_' or '-' (not 'input' or 'output_model').`,
    );
  }
  if (typeof handler !== "function") throw new TypeError(`Tool ${definition.name}: the handler must be a function.`);
  const inputSchema = toJsonSchema(definition.input);
  const outputSchema = toJsonSchema(definition.output, "output");
  const id = toolId({ name: definition.name, description: definition.description, inputSchema, outputSchema }, handler.toString());
  return {
    [TOOL_MARK]: true,
    id,
    name: definition.name,
    description: definition.description,
    inputSchema,
    outputSchema,
    tags: definition.tags ?? [],
    metadata: definition.metadata ?? {},
    input: definition.input,
    output: definition.output,
    handler,
    validateInput: (value) => validateWith(definition.input, value),
    validateOutput: (value) => validateWith(definition.output, value),
    invoke: (input, context) => handler(input as z.output<I>, context),
  };
}

export function isDefinedTool(value: unknown): value is DefinedTool {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TOOL_MARK] === true;
}
