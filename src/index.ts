// The `llm-function` library: declare tools and functions, build a runtime, call functions from code.
export { tool, isDefinedTool } from "./engine/tools/tool";
export type {
  DefinedTool,
  Tool,
  ToolSpec,
  ToolDefinition,
  ToolHandler,
  ToolCallContext,
  ValidationIssue,
} from "./engine/tools/tool";
export { llmFunction, isLlmFunction } from "./engine/llmFunction";
export type { LlmFunction, LlmFunctionDefinition, FunctionRuntime } from "./engine/llmFunction";
export { createRuntime, LlmFunctionRuntime } from "./engine/runtime/llmFunctionRuntime";
export type { RuntimeOptions } from "./engine/runtime/llmFunctionRuntime";
export { ToolRegistry, inMemoryToolSource } from "./engine/toolRegistry";
export type { ToolSource } from "./engine/toolRegistry";
export { moduleToolSource } from "./engine/moduleToolSource";
export { createLlmClient } from "./engine/llm/createLlmClient";
export type { LlmClient, ChatRequest, ChatResponse, ChatMessage } from "./engine/llm/llmClient";
export { LlmFunctionError, ERROR_KINDS, STAGES } from "./engine/errors";
export type { ErrorKind, Stage, WorkflowError } from "./engine/errors";
export type { RuntimeConfig, RuntimeConfigInput, LlmBackendConfig, CompareOptions } from "./engine/config";
export type { CallOptions, CallOutcome, FunctionState, FunctionStatus, StoredWorkflow } from "./engine/runtimeTypes";
export type { VerifyResult, VerifyStatus } from "./engine/runtime/verifyStored";
export type { CodeChange } from "./engine/workflow/codeRecord";
export type { CaseOutcome } from "./engine/workflow/replayTests";
export type { ToolCode } from "./engine/tools/toolCode";
export type { ProgressEvent, ProgressListener } from "./engine/progress";
export type {
  WorkflowFile,
  WorkflowStep,
  StepArg,
  PlanningRecord,
  RunTrace,
  CodeRecord,
  VerificationRecord,
} from "./engine/workflow/types";
