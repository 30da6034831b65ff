import { cancelledError, describeUnknown, workflowError, type WorkflowError } from "../errors";
import { checkJsonLimits, describeViolation } from "../json/jsonLimits";
import { formatIssues } from "../json/validationIssues";
import { err, ok, type Result } from "../result";
import type { Tool, ValidationIssue } from "../tools/tool";
import { compileArgs, evaluateArgs, formatReference, type CompiledArgs } from "./references";
import { OUTPUT_STEP, type RunTrace, type StepTrace, type WorkflowStep } from "./types";

/**
 * Runs a workflow without any LLM: each step's args are built from earlier outputs, checked
 * against the tool's input schema, passed to the tool, and its output checked against the
 * tool's output schema; the `output_model` step builds the function's output. Workflows are
 * compiled once (tools looked up, references parsed) so repeated runs stay close to
 * hand-written code. Every failure comes back as a WorkflowError at stage "run".
 */

export interface ToolLookup {
  byId(id: string): Tool | undefined;
  /** Used for steps recorded without a tool id, and to explain a changed tool. */
  byName?(name: string): Tool | undefined;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Record each step's input, output and duration. */
  trace?: boolean;
  /** Validates the output built by the `output_model` step (the function's output schema). */
  validateOutput: (value: unknown) => Result<unknown, ValidationIssue[]>;
}

export interface RunResult {
  output: unknown;
  trace: RunTrace;
}

export interface CompiledWorkflow {
  readonly steps: readonly WorkflowStep[];
  run(input: unknown, options: RunOptions): Promise<Result<RunResult, WorkflowError>>;
}

interface CompiledStep {
  step: WorkflowStep;
  /** Undefined for the `output_model` step. */
  tool: Tool | undefined;
  args: CompiledArgs;
}

export function compileWorkflow(
  steps: readonly WorkflowStep[],
  tools: ToolLookup,
): Result<CompiledWorkflow, WorkflowError> {
  const last = steps[steps.length - 1];
  if (last === undefined || last.tool !== OUTPUT_STEP) {
    return err(workflowError("PLANNING_MISSOUTPUT", "run", `The workflow does not end with an "${OUTPUT_STEP}" step.`));
  }
  const compiled: CompiledStep[] = [];
  for (const [index, step] of steps.entries()) {
    const position = index + 1;
    if (step.id !== position) {
      return err(
        workflowError(
          "INPUTS",
          "run",
          `Step ${position} is numbered ${step.id}; steps must be numbered 1..${steps.length} in order.`,
          { step: position, tool: step.tool },
        ),
      );
    }
    if (step.tool === OUTPUT_STEP && position !== steps.length) {
      return err(
        workflowError("INPUTS", "run", `Step ${position} is "${OUTPUT_STEP}" but is not the last step.`, {
          step: position,
          tool: step.tool,
        }),
      );
    }
    const tool = step.tool === OUTPUT_STEP ? undefined : findTool(step, tools);
    if (tool !== undefined && !tool.ok) return tool;
    const args = compileArgs(step.args);
    if (!args.ok) {
      return err(
        workflowError("INPUTS", "run", `Step ${step.id} (${step.tool}): ${args.error}`, {
          step: step.id,
          tool: step.tool,
        }),
      );
    }
    const later = args.value.references.find((ref) => ref.step >= step.id);
    if (later !== undefined) {
      return err(
        workflowError(
          "INPUTS",
          "run",
          `Step ${step.id} (${step.tool}) uses ${formatReference(later)}, which is not the output of an earlier step.`,
          {
            step: step.id,
            tool: step.tool,
            reference: formatReference(later),
          },
        ),
      );
    }
    compiled.push({ step, tool: tool?.value, args: args.value });
  }
  return ok({ steps, run: (input, options) => execute(compiled, input, options) });
}

function findTool(step: WorkflowStep, tools: ToolLookup): Result<Tool, WorkflowError> {
  const found = step.toolId !== undefined ? tools.byId(step.toolId) : tools.byName?.(step.tool);
  if (found !== undefined) return ok(found);
  const sameName = step.toolId !== undefined ? tools.byName?.(step.tool) : undefined;
  const why =
    step.toolId === undefined
      ? "no tool of that name is available"
      : sameName !== undefined
        ? `its contract (description or schemas${sameName.code ? `, in ${sameName.code.file}` : ""}) has changed since the workflow was planned (id ${step.toolId.slice(0, 12)} is now ${sameName.id.slice(0, 12)})`
        : `no tool with id ${step.toolId.slice(0, 12)} is available`;
  return err(
    workflowError("PLANNING_HF", "run", `Step ${step.id} uses tool "${step.tool}", but ${why}.`, {
      step: step.id,
      tool: step.tool,
      toolId: step.toolId,
    }),
  );
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

async function execute(
  steps: readonly CompiledStep[],
  input: unknown,
  options: RunOptions,
): Promise<Result<RunResult, WorkflowError>> {
  const traces: StepTrace[] | undefined = options.trace ? [] : undefined;
  const started = traces === undefined ? 0 : performance.now();
  const signal = options.signal;
  const outputs: unknown[] = [input];
  // An indexed loop: destructuring for-of costs more than the rest of a small step.
  for (let index = 0; index < steps.length; index++) {
    const { step, tool, args } = steps[index]!;
    if (signal?.aborted) return failed(traces, started, cancelled(step));
    const stepStarted = traces === undefined ? 0 : performance.now();
    const built = evaluateArgs(args, outputs);
    if (!built.ok) {
      return failed(
        traces,
        started,
        workflowError(
          "INPUTS",
          "run",
          `Step ${step.id} (${step.tool}), arg "${built.error.arg}": ${built.error.message}`,
          {
            step: step.id,
            tool: step.tool,
            arg: built.error.arg,
          },
        ),
        traces && traceOf(step, undefined, stepStarted, {}),
      );
    }
    if (tool === undefined) {
      const outputTooBig = checkJsonLimits(built.value);
      if (outputTooBig) {
        return failed(
          traces,
          started,
          workflowError(
            "OUTPUTS_FAILURE",
            "run",
            `The output built by step ${step.id} (${OUTPUT_STEP}) is refused: ${describeViolation(outputTooBig)}`,
            {
              step: step.id,
              tool: step.tool,
              limit: outputTooBig.limit,
              path: outputTooBig.path,
            },
          ),
          traces && traceOf(step, undefined, stepStarted, {}),
        );
      }
      const output = options.validateOutput(built.value);
      if (!output.ok) {
        return failed(
          traces,
          started,
          workflowError(
            "OUTPUTS_FAILURE",
            "run",
            `The output built by step ${step.id} (${OUTPUT_STEP}) is invalid: ${formatIssues(output.error)}`,
            {
              step: step.id,
              tool: step.tool,
              issues: output.error,
            },
          ),
          traces && traceOf(step, built.value, stepStarted, {}),
        );
      }
      if (traces !== undefined) traces.push(traceOf(step, built.value, stepStarted, { output: output.value }));
      return ok({
        output: output.value,
        trace: { steps: traces ?? [], durationMs: traces === undefined ? 0 : performance.now() - started },
      });
    }

    // Limits before the schemas: zod walks values recursively.
    const inputTooBig = checkJsonLimits(built.value);
    if (inputTooBig) {
      return failed(
        traces,
        started,
        workflowError(
          "ADAPTOR_JSON",
          "run",
          `Step ${step.id}: the input built for tool "${tool.name}" is refused: ${describeViolation(inputTooBig)}`,
          {
            step: step.id,
            tool: tool.name,
            limit: inputTooBig.limit,
            path: inputTooBig.path,
          },
        ),
        traces && traceOf(step, undefined, stepStarted, {}),
      );
    }
    const toolInput = tool.validateInput(built.value);
    if (!toolInput.ok) {
      return failed(
        traces,
        started,
        workflowError(
          "ADAPTOR_JSON",
          "run",
          `Step ${step.id}: the input built for tool "${tool.name}" is invalid: ${formatIssues(toolInput.error)}`,
          {
            step: step.id,
            tool: tool.name,
            issues: toolInput.error,
          },
        ),
        traces && traceOf(step, built.value, stepStarted, {}),
      );
    }
    let raw: unknown;
    try {
      const pending = tool.invoke(toolInput.value, { signal });
      raw = isPromiseLike(pending) ? await (signal === undefined ? pending : untilAborted(pending, signal)) : pending;
    } catch (cause) {
      if (signal?.aborted)
        return failed(traces, started, cancelled(step), traces && traceOf(step, built.value, stepStarted, {}));
      return failed(
        traces,
        started,
        workflowError("RUNNER", "run", `Step ${step.id}: tool "${tool.name}" failed: ${describeUnknown(cause)}`, {
          step: step.id,
          tool: tool.name,
          toolId: tool.id,
          error: describeUnknown(cause),
        }),
        traces && traceOf(step, built.value, stepStarted, {}),
      );
    }
    if (signal?.aborted)
      return failed(
        traces,
        started,
        cancelled(step),
        traces && traceOf(step, built.value, stepStarted, { output: raw }),
      );
    const outputTooBig = checkJsonLimits(raw);
    if (outputTooBig) {
      return failed(
        traces,
        started,
        workflowError(
          "RUNNER",
          "run",
          `Step ${step.id}: tool "${tool.name}" returned output that is refused: ${describeViolation(outputTooBig)}`,
          {
            step: step.id,
            tool: tool.name,
            toolId: tool.id,
            limit: outputTooBig.limit,
            path: outputTooBig.path,
          },
        ),
        traces && traceOf(step, built.value, stepStarted, {}),
      );
    }
    const toolOutput = tool.validateOutput(raw);
    if (!toolOutput.ok) {
      return failed(
        traces,
        started,
        workflowError(
          "RUNNER",
          "run",
          `Step ${step.id}: tool "${tool.name}" returned output that does not match its output schema: ${formatIssues(toolOutput.error)}`,
          {
            step: step.id,
            tool: tool.name,
            toolId: tool.id,
            issues: toolOutput.error,
          },
        ),
        traces && traceOf(step, built.value, stepStarted, { output: raw }),
      );
    }
    outputs.push(toolOutput.value);
    if (traces !== undefined) traces.push(traceOf(step, built.value, stepStarted, { output: toolOutput.value }));
  }
  // compileWorkflow guarantees the last step is output_model, which returns above.
  return failed(
    traces,
    started,
    workflowError("PLANNING_MISSOUTPUT", "run", `The workflow does not end with an "${OUTPUT_STEP}" step.`),
  );
}

/** A failed run; when tracing, the trace so far (with the failing step) goes into the details. */
function failed(
  traces: StepTrace[] | undefined,
  started: number,
  error: WorkflowError,
  trace?: StepTrace,
): Result<RunResult, WorkflowError> {
  if (traces === undefined) return err(error);
  if (trace !== undefined) traces.push({ ...trace, error });
  return err({
    ...error,
    details: { ...error.details, trace: { steps: traces, durationMs: performance.now() - started } },
  });
}

function cancelled(step: WorkflowStep): WorkflowError {
  return { ...cancelledError("run"), details: { step: step.id, tool: step.tool } };
}

function traceOf(step: WorkflowStep, input: unknown, started: number, extra: Partial<StepTrace>): StepTrace {
  return { step: step.id, tool: step.tool, input, durationMs: performance.now() - started, ...extra };
}

/** Settles with the tool's promise, or rejects as soon as the signal fires (a tool may ignore it). */
function untilAborted<T>(pending: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(pending).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (cause: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(cause);
      },
    );
  });
}
