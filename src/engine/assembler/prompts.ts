import type { ChatMessage } from "../llm/llmClient";
import type { JsonSchema } from "../jsonSchema";
import type { ToolSpec } from "../tools/tool";
import type { FunctionTask, PlannedStep } from "../workflow/types";
import { OUTPUT_STEP } from "../workflow/types";
import { schemaToTypeText } from "./schemaText";

// Prompts are data for the LLM, kept short: every character is paid for on every planning.
// Every call of one planning starts with the same messages (rules, task, tool catalog), byte for
// byte, so Ollama's prompt cache evaluates them once; only the last message says what this call is.

export function toolCatalog(tools: readonly ToolSpec[]): string {
  return tools.map(toolEntry).join("\n");
}

/** One tool as the catalog shows it; its length is what tool selection budgets. */
export function toolEntry(tool: ToolSpec): string {
  return `- ${tool.name}: ${tool.description}\n  input: ${schemaToTypeText(tool.inputSchema)}\n  output: ${schemaToTypeText(tool.outputSchema)}`;
}

const RULES =
  "You help assemble a linear workflow of tool calls that turns a task's input into its output. " +
  `A workflow is a list of steps; each step is {"name": tool, "args": {field: value}}. An arg value is a JSON literal, or a reference string ` +
  `"<source>.output.<path>" where <source> is "input" (the task input) or the name of an earlier step's tool, and ` +
  `<path> may go into nested fields and array items (e.g. "search.output.results[0].title"), or a text template ` +
  `embedding references in {{ }} (e.g. "Weather in {{input.output.city}}: {{forecast.output.summary}}"). ` +
  `The last step is named "${OUTPUT_STEP}"; its args build every output field. ` +
  "Types are written like TypeScript; /* */ comments describe fields. The last message says what to do now; answer it with JSON only.";

function taskText(task: FunctionTask): string {
  return `Task: ${task.description}\nInput: ${schemaToTypeText(task.inputSchema)}\nOutput: ${schemaToTypeText(task.outputSchema)}`;
}

/** The messages every call of one planning starts with. Build it once per planning and reuse it. */
export function sharedPrefix(task: FunctionTask, tools: readonly ToolSpec[]): ChatMessage[] {
  return [
    { role: "system", content: RULES },
    { role: "user", content: `${taskText(task)}\n\nTools:\n${toolCatalog(tools)}` },
  ];
}

/** Characters of the prefix around the catalog: what a prompt costs with no tool at all. */
export function prefixOverheadChars(task: FunctionTask): number {
  return sharedPrefix(task, []).reduce((total, message) => total + message.content.length, 0);
}

export const CHECK_FORMAT: JsonSchema = {
  type: "object",
  properties: { justification: { type: "string" }, decision: { type: "boolean" } },
  required: ["justification", "decision"],
};

const CHECK_INSTRUCTION =
  "Now decide whether the task can be done by chaining the listed tools. Every required output field must come " +
  "from the input or from a tool whose purpose clearly matches it; matching types alone is not enough. " +
  'Answer JSON: {"justification": string, "decision": boolean}.';

export function checkMessages(prefix: readonly ChatMessage[]): ChatMessage[] {
  return [...prefix, { role: "user", content: CHECK_INSTRUCTION }];
}

/**
 * The plan's JSON Schema. Its tool-name enum is a grammar, not prompt text (Ollama constrains
 * decoding to it; the model never reads it): give it every catalog tool, even those the prompt
 * does not list, or a real tool the selection missed could never be named.
 */
export function planFormat(toolNames: readonly string[]): JsonSchema {
  return {
    type: "object",
    properties: {
      steps: {
        type: "array",
        items: {
          type: "object",
          properties: { name: { type: "string", enum: [...toolNames, OUTPUT_STEP] }, args: { type: "object" } },
          required: ["name", "args"],
        },
      },
    },
    required: ["steps"],
  };
}

const PLAN_INSTRUCTION = 'Now plan the workflow. Use only the listed tools. Answer JSON: {"steps": [...]}.';

export function planMessages(prefix: readonly ChatMessage[], feedback: string | undefined): ChatMessage[] {
  const instruction = feedback
    ? `${PLAN_INSTRUCTION}\nYour previous plan failed: ${feedback}\nAnswer with a corrected plan.`
    : PLAN_INSTRUCTION;
  return [...prefix, { role: "user", content: instruction }];
}

export const ADAPT_FORMAT: JsonSchema = {
  type: "object",
  properties: { args: { type: "object" } },
  required: ["args"],
};

export interface AdaptPromptContext {
  step: PlannedStep;
  stepId: number;
  targetDescription: string;
  targetSchema: JsonSchema;
  earlier: { id: number; name: string; outputSchema: JsonSchema }[];
  problems: string[];
}

export function adaptMessages(prefix: readonly ChatMessage[], context: AdaptPromptContext): ChatMessage[] {
  const sources = context.earlier
    .map(
      (step) =>
        `- ${step.id === 0 ? "input" : `${step.name} (step ${step.id})`}: ${schemaToTypeText(step.outputSchema)}`,
    )
    .join("\n");
  return [
    ...prefix,
    {
      role: "user",
      content:
        "Now fix the arguments of one step so they match its input type.\n" +
        `Step ${context.stepId}: ${context.step.name} (${context.targetDescription})\n` +
        `Its input type: ${schemaToTypeText(context.targetSchema)}\nReferences may only use these sources:\n${sources}\n` +
        `Planned args: ${JSON.stringify(context.step.args)}\nProblems:\n${context.problems.map((p) => `- ${p}`).join("\n")}\n` +
        'Answer JSON: {"args": {...}}.',
    },
  ];
}
