// The `llm-function` module as workspace declaration files see it.
export { tool, isDefinedTool, TOOL_MARK } from "../engine/tools/tool";
export type { DefinedTool, ToolDefinition, ToolHandler, ToolCallContext } from "../engine/tools/tool";
export { llmFunction, isLlmFunction, FUNCTION_MARK } from "../engine/llmFunction";
export type { LlmFunction, LlmFunctionDefinition } from "../engine/llmFunction";
export { LlmFunctionError } from "../engine/errors";
