// Types of the `llm-function` module as declaration files see it (written by "LLM Function: Set Up Workspace").
import type { z } from "zod";

export interface ToolCallContext {
  signal?: AbortSignal;
}

export interface ToolDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** Letters, digits, `_` or `-`; not `input` or `output_model`. */
  name: string;
  /** What the tool does: the planner reads it. */
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

export declare const TOOL_MARK: unique symbol;
export declare const FUNCTION_MARK: unique symbol;

export interface DefinedTool<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly [TOOL_MARK]: true;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly handler: ToolHandler<I, O>;
}

/** Declares a typed tool: one input object, one output object, a handler between them. */
export declare function tool<I extends z.ZodType, O extends z.ZodType>(
  definition: ToolDefinition<I, O>,
  handler: ToolHandler<I, O>,
): DefinedTool<I, O>;

export declare function isDefinedTool(value: unknown): value is DefinedTool;

export interface CompareOptions {
  skipOptionalEmpty?: boolean;
  roundFloats?: number;
  ignoreFields?: string[];
  ignoreTypes?: string[];
}

export interface CallOptions {
  signal?: AbortSignal;
  forceReplan?: boolean;
}

export interface LlmFunctionDefinition<I extends z.ZodType, O extends z.ZodType> {
  /** Defaults to the export name in discovered workspaces. */
  name?: string;
  /** The task: what the output must be, given the input. */
  description: string;
  input: I;
  output: O;
  tests?: { name?: string; input: z.input<I>; expected?: z.input<O> }[];
  compare?: CompareOptions;
  /** The task is meant to be impossible with the tools: `llmfn eval` counts a refusal as success. */
  expectInfeasible?: boolean;
}

export interface LlmFunction<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  (input: z.input<I>, options?: CallOptions): Promise<z.output<O>>;
  readonly [FUNCTION_MARK]: true;
  readonly functionName: string | undefined;
  readonly description: string;
  readonly input: I;
  readonly output: O;
}

/** Declares a typed function with no body: a runtime assembles and runs a workflow of tools for it. */
export declare function llmFunction<I extends z.ZodType, O extends z.ZodType>(definition: LlmFunctionDefinition<I, O>): LlmFunction<I, O>;

export declare function isLlmFunction(value: unknown): value is LlmFunction;

export declare class LlmFunctionError extends Error {
  readonly kind: string;
  readonly stage: string;
  readonly details: Record<string, unknown> | undefined;
}
