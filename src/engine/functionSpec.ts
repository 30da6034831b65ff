import type { CompareOptions } from "./config";
import type { JsonSchema, JsonValue } from "./jsonSchema";
import type { Result } from "./result";
import type { ValidationIssue } from "./tools/tool";

export interface TestCase {
  name?: string;
  input: JsonValue;
  /** Without an expected output the case only checks that the workflow runs and validates. */
  expected?: JsonValue;
}

/**
 * What the engine needs of an LLM function: its contract as data plus validators.
 * `llmFunction()` builds one from zod schemas; the workspace layer builds one from JSON Schemas.
 */
export interface FunctionSpec {
  name: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  validateInput(value: unknown): Result<unknown, ValidationIssue[]>;
  validateOutput(value: unknown): Result<unknown, ValidationIssue[]>;
  tests: TestCase[];
  compare?: Partial<CompareOptions>;
  /** Declared impossible with the tools on purpose: an evaluation counts a refusal as success. */
  expectInfeasible?: boolean;
}
