import type { RuntimeConfig } from "../config";
import { cancelledError, type WorkflowError } from "../errors";
import type { FunctionSpec } from "../functionSpec";
import type { JsonSchema } from "../jsonSchema";
import { promptCharsOf, type ChatMessage, type LlmClient, type LlmPurpose } from "../llm/llmClient";
import { parseJsonAnswer } from "../llm/parseJsonAnswer";
import type { Logger } from "../logger";
import type { ProgressEvent } from "../progress";
import { err, ok, type Result } from "../result";
import type { ToolRegistry } from "../toolRegistry";
import type { ToolSpec } from "../tools/tool";
import { sharedPrefix } from "./prompts";
import { addUsage, emptyUsageTotals } from "../llmUsage";
import type { FunctionTask, LlmCallFigures, PlanningRecord, PlanningStage } from "../workflow/types";

/** An LLM answer parsed as JSON, or why it could not be (a retryable planning problem). */
export type Answer = { ok: true; data: unknown } | { ok: false; problem: string };

/** What the history keeps of one call: its figures, the model's thinking, the tools it was shown. */
export interface CallFacts {
  llm: LlmCallFigures;
  thinking?: string;
  tools?: string[];
}

/** Thinking is kept for review, not in full: a long reasoning would swell every workflow file. */
const MAX_THINKING_CHARS = 8000;

function trimmedThinking(thinking: string): string {
  return thinking.length <= MAX_THINKING_CHARS
    ? thinking
    : `${thinking.slice(0, MAX_THINKING_CHARS)}… (${thinking.length - MAX_THINKING_CHARS} more characters)`;
}

/** Everything one planning needs, plus its running tallies. */
export class PlanningContext {
  llmCalls = 0;
  promptChars = 0;
  readonly usage = emptyUsageTotals();
  readonly history: PlanningRecord[] = [];
  loop = 0;
  /** The tools the prompts show (all of them, or a selection from a large catalog). */
  shownTools: readonly ToolSpec[] = [];
  /** The prompt prefix every call of this planning starts with, built once per shown toolset. */
  prefix: ChatMessage[] = [];
  /** False when the catalog was too large for the prompt budget and only a selection is shown. */
  selectionComplete = true;
  /** How often the selection was widened after a failure for lack of a tool. */
  widenings = 0;
  /** Each tool's embedding similarity to the task, when an embedding model ranks tools. */
  similarity: Map<string, number> | undefined;

  constructor(
    readonly spec: FunctionSpec,
    readonly task: FunctionTask,
    readonly tools: ToolRegistry,
    readonly llm: LlmClient,
    readonly config: RuntimeConfig,
    readonly logger: Logger,
    private readonly onProgress: ((event: ProgressEvent) => void) | undefined,
    readonly signal: AbortSignal | undefined,
  ) {}

  /** Shows these tools from now on; the shared prompt prefix follows. */
  show(tools: readonly ToolSpec[]): void {
    this.shownTools = tools;
    this.prefix = sharedPrefix(this.task, tools);
  }

  emit(event: Omit<ProgressEvent, "functionName">): void {
    this.onProgress?.({ ...event, functionName: this.spec.name });
  }

  record(entry: Omit<PlanningRecord, "at" | "loop"> & { stage: PlanningStage }): void {
    this.history.push({ ...entry, loop: this.loop, at: new Date().toISOString() });
    const line = `${this.spec.name}: ${entry.stage} loop ${this.loop} attempt ${entry.attempt}${entry.step === undefined ? "" : ` step ${entry.step}`}: ${
      entry.ok ? "ok" : `${entry.error?.kind ?? "failed"}: ${entry.error?.message ?? ""}`
    }`;
    if (entry.ok) this.logger.info(line);
    else this.logger.warn(line);
  }

  cancelled(): WorkflowError | undefined {
    return this.signal?.aborted ? cancelledError("plan") : undefined;
  }

  /**
   * One LLM call. Transport failures (unreachable, unknown model, timeout, cancel) are returned
   * as errors that end planning; an answer that is not JSON is a problem the caller may retry.
   */
  async ask(
    purpose: LlmPurpose,
    messages: ChatMessage[],
    format: JsonSchema,
  ): Promise<Result<Answer & { call: CallFacts }, WorkflowError>> {
    const cancelled = this.cancelled();
    if (cancelled) return err(cancelled);
    this.llmCalls += 1;
    const sent = promptCharsOf(messages);
    this.promptChars += sent;
    this.logger.debug(
      `${this.spec.name}: ${purpose} prompt (${sent} chars):\n${messages.map((m) => `[${m.role}] ${m.content}`).join("\n")}`,
    );
    const response = await this.llm.chat({
      purpose,
      messages,
      format,
      timeoutMs: this.config.llmTimeoutMs,
      ...(this.signal ? { signal: this.signal } : {}),
    });
    if (!response.ok) return err(response.error);
    const { content, thinking, usage, context } = response.value;
    addUsage(this.usage, usage);
    this.logger.debug(`${this.spec.name}: ${purpose} answer (${content.length} chars): ${content.slice(0, 4000)}`);
    const llm: LlmCallFigures = {
      calls: 1,
      promptChars: sent,
      responseChars: content.length,
      usage,
      ...(context
        ? { contextTokens: context.contextTokens, estimatedPromptTokens: context.estimatedPromptTokens }
        : {}),
      ...(context?.warning ? { warning: context.warning } : {}),
    };
    const call: CallFacts = {
      llm,
      ...(thinking ? { thinking: trimmedThinking(thinking) } : {}),
      tools: this.shownTools.map((tool) => tool.name),
    };
    const parsed = parseJsonAnswer(content);
    return ok(parsed.ok ? { ok: true, data: parsed.value, call } : { ok: false, problem: parsed.error, call });
  }
}

/** Errors that say the LLM endpoint, not the plan, is at fault: planning stops at once. */
export function isFatal(error: WorkflowError): boolean {
  return (
    error.kind.startsWith("LLM_") ||
    error.kind === "CANCELLED" ||
    error.kind === "CONFIG" ||
    error.kind === "INPUT_VALIDATION"
  );
}
