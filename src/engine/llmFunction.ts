import type { z } from "zod";
import { compareOptionsSchema, type CompareOptions } from "./config";
import { LlmFunctionError, workflowError, type WorkflowError } from "./errors";
import type { FunctionSpec, TestCase } from "./functionSpec";
import { toJsonSchema, type JsonSchema, type JsonValue } from "./jsonSchema";
import type { Result } from "./result";
import type { CallOptions, CallOutcome } from "./runtimeTypes";
import { validateWith } from "./tools/tool";

/** What a function needs of a runtime: `LlmFunctionRuntime` is one. */
export interface FunctionRuntime {
  call(spec: FunctionSpec, input: unknown, options?: CallOptions): Promise<Result<CallOutcome, WorkflowError>>;
}

export interface LlmFunctionDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** Defaults to the export name in discovered workspaces; required when called directly. */
  name?: string;
  /** The task: what the output must be, given the input. */
  description: string;
  input: I;
  output: O;
  tests?: { name?: string; input: z.input<I>; expected?: z.input<O> }[];
  compare?: Partial<CompareOptions>;
  /** The task is meant to be impossible with the tools: `llmfn eval` counts a refusal as success. */
  expectInfeasible?: boolean;
  runtime?: FunctionRuntime;
}

export const FUNCTION_MARK = Symbol.for("llm-function.function");

export interface LlmFunction<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  (input: z.input<I>, options?: CallOptions): Promise<z.output<O>>;
  readonly [FUNCTION_MARK]: true;
  readonly functionName: string | undefined;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  readonly tests: TestCase[];
  readonly compare: Partial<CompareOptions> | undefined;
  readonly expectInfeasible: boolean;
  /** The same function, bound to another runtime. */
  withRuntime(runtime: FunctionRuntime): LlmFunction<I, O>;
  /** The engine's view of this function; `name` overrides the declared one. */
  toSpec(name?: string): FunctionSpec;
}

/** Declares a typed function with no body: a runtime assembles and runs a workflow for it. */
export function llmFunction<I extends z.ZodType, O extends z.ZodType>(
  definition: LlmFunctionDefinition<I, O>,
): LlmFunction<I, O> {
  if (typeof definition.description !== "string" || definition.description.trim() === "") {
    throw new TypeError("llmFunction needs a non-empty description of its task.");
  }
  const compare =
    definition.compare === undefined ? undefined : compareOptionsSchema.partial().parse(definition.compare);
  const inputSchema = toJsonSchema(definition.input);
  const outputSchema = toJsonSchema(definition.output);
  const tests: TestCase[] = (definition.tests ?? []).map((test) => ({
    ...(test.name === undefined ? {} : { name: test.name }),
    input: test.input as JsonValue,
    ...(test.expected === undefined ? {} : { expected: test.expected as JsonValue }),
  }));

  const toSpec = (name?: string): FunctionSpec => {
    const resolved = name ?? definition.name;
    if (!resolved)
      throw new TypeError("This llmFunction has no name: give it `name` or export it from a declaration file.");
    return {
      name: resolved,
      description: definition.description,
      inputSchema,
      outputSchema,
      validateInput: (value) => validateWith(definition.input, value),
      validateOutput: (value) => validateWith(definition.output, value),
      tests,
      ...(compare === undefined ? {} : { compare }),
      ...(definition.expectInfeasible ? { expectInfeasible: true } : {}),
    };
  };

  let spec: FunctionSpec | undefined;
  const call = async (input: z.input<I>, options?: CallOptions): Promise<z.output<O>> => {
    const runtime = definition.runtime;
    if (!runtime) {
      throw new LlmFunctionError(
        workflowError(
          "CONFIG",
          "config",
          "This function is not bound to a runtime: pass `runtime` to llmFunction() or call fn.withRuntime(runtime).",
        ),
        definition.name,
      );
    }
    spec ??= toSpec();
    // The typed callable returns only the output, so it records no trace unless asked to.
    const outcome = await runtime.call(spec, input, { trace: false, ...options });
    if (!outcome.ok) throw new LlmFunctionError(outcome.error, spec.name);
    return outcome.value.output as z.output<O>;
  };

  return Object.assign(call, {
    [FUNCTION_MARK]: true as const,
    functionName: definition.name,
    description: definition.description,
    input: definition.input,
    output: definition.output,
    inputSchema,
    outputSchema,
    tests,
    compare,
    expectInfeasible: definition.expectInfeasible === true,
    withRuntime: (runtime: FunctionRuntime) => llmFunction({ ...definition, runtime }),
    toSpec,
  });
}

export function isLlmFunction(value: unknown): value is LlmFunction {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[FUNCTION_MARK] === true;
}
