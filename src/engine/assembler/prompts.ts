import type { ChatMessage } from "../llm/llmClient";
import type { JsonSchema } from "../jsonSchema";
import type { ToolSpec } from "../tools/tool";
import type { FunctionTask, PlannedStep } from "../workflow/types";
import { OUTPUT_STEP } from "../workflow/types";
import { schemaToTypeText } from "./schemaText";

// Prompts are data for the LLM, kept short: every character is paid for on every planning.

function toolCatalog(tools: readonly ToolSpec[]): string {
  return tools
    .map((tool) => `- ${tool.name}: ${tool.description}\n  input: ${oneLine(tool.inputSchema)}\n  output: ${oneLine(tool.outputSchema)}`)
    .join("\n");
}

function oneLine(schema: JsonSchema): string {
  return schemaToTypeText(schema).replace(/\n\s*/g, " ");
}

function taskText(task: FunctionTask): string {
  return `Task: ${task.description}\nInput: ${oneLine(task.inputSchema)}\nOutput: ${oneLine(task.outputSchema)}`;
}

export const CHECK_FORMAT: JsonSchema = {
  type: "object",
  properties: { justification: { type: "string" }, decision: { type: "boolean" } },
  required: ["justification", "decision"],
};

export function checkMessages(task: FunctionTask, tools: readonly ToolSpec[]): ChatMessage[] {
  return [
    {
      role: "system",
      content:
        "You decide whether a task can be done by chaining the listed tools. Every required output field must come " +
        "from the input or from a tool whose purpose clearly matches it; matching types alone is not enough. " +
        'Answer JSON: {"justification": string, "decision": boolean}.',
    },
    { role: "user", content: `${taskText(task)}\n\nTools:\n${toolCatalog(tools)}` },
  ];
}

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

const SYNTAX =
  `Each step is {"name": tool, "args": {field: value}}. An arg value is a JSON literal, or a reference string ` +
  `"<source>.output.<path>" where <source> is "input" (the task input) or the name of an earlier step's tool, and ` +
  `<path> may go into nested fields and array items (e.g. "search.output.results[0].title"), or a text template ` +
  `embedding references in {{ }} (e.g. "Weather in {{input.output.city}}: {{forecast.output.summary}}"). ` +
  `The last step is named "${OUTPUT_STEP}"; its args build every output field.`;

export function planMessages(task: FunctionTask, tools: readonly ToolSpec[], feedback: string | undefined): ChatMessage[] {
  const messages: ChatMessage[] = [
    {
      role: "system",
      content: `You plan a linear workflow of tool calls that turns the task input into the task output. ${SYNTAX} Use only the listed tools. Answer JSON: {"steps": [...]}.`,
    },
    { role: "user", content: `${taskText(task)}\n\nTools:\n${toolCatalog(tools)}` },
  ];
  if (feedback) messages.push({ role: "user", content: `Your previous plan failed: ${feedback}\nAnswer with a corrected plan.` });
  return messages;
}

export const ADAPT_FORMAT: JsonSchema = {
  type: "object",
  properties: { args: { type: "object" } },
  required: ["args"],
};

export interface AdaptPromptContext {
  task: FunctionTask;
  step: PlannedStep;
  stepId: number;
  targetDescription: string;
  targetSchema: JsonSchema;
  earlier: { id: number; name: string; outputSchema: JsonSchema }[];
  problems: string[];
}

export function adaptMessages(context: AdaptPromptContext): ChatMessage[] {
  const sources = context.earlier
    .map((step) => `- ${step.id === 0 ? "input" : `${step.name} (step ${step.id})`}: ${oneLine(step.outputSchema)}`)
    .join("\n");
  return [
    {
      role: "system",
      content: `You fix the arguments of one workflow step so they match its input type. ${SYNTAX} References may only use the sources listed. Answer JSON: {"args": {...}}.`,
    },
    {
      role: "user",
      content:
        `Task: ${context.task.description}\nStep ${context.stepId}: ${context.step.name} (${context.targetDescription})\n` +
        `Its input type: ${oneLine(context.targetSchema)}\nAvailable sources:\n${sources}\n` +
        `Planned args: ${JSON.stringify(context.step.args)}\nProblems:\n${context.problems.map((p) => `- ${p}`).join("\n")}`,
    },
  ];
}
