import * as vscode from "vscode";
import { workflowError, type WorkflowError } from "../../engine/errors";
import type { Result } from "../../engine/result";
import type { CallOptions, CallOutcome } from "../../engine/runtimeTypes";
import { OUTPUT_STEP, type WorkflowFile } from "../../engine/workflow/types";
import { formatDuration } from "../displayFormat";
import { formatIssues } from "../../engine/json/validationIssues";
import { parseFunctionInput } from "../input/functionInput";
import { skeletonFromSchema } from "../input/skeletonFromSchema";
import { inBackground, reportWorkflowError } from "../notifications";
import { progressMessage } from "../progressMessages";
import type { RunRecord } from "../runHistory";
import type { CommandTarget } from "./commandArgs";
import type { CommandContext } from "./commandContext";
import { pickFunction, type PickedFunction } from "./pickFunction";

/** Asks for the input in an input box prefilled with a skeleton, validating as the user types. */
async function askForInput(picked: PickedFunction): Promise<{ value: unknown } | undefined> {
  const spec = picked.session.functionSpec(picked.fn.name);
  if (!spec) throw new Error(`${picked.fn.name} is no longer declared.`);
  const skeleton = JSON.stringify(skeletonFromSchema(picked.fn.inputSchema));
  const text = await vscode.window.showInputBox({
    title: `LLM Function: input for ${picked.fn.name}`,
    prompt: `JSON input. ${picked.fn.description}`,
    value: skeleton,
    ignoreFocusOut: true,
    validateInput: (candidate) => {
      const parsed = parseFunctionInput(candidate, spec.validateInput);
      return parsed.ok ? undefined : { message: parsed.error, severity: vscode.InputBoxValidationSeverity.Error };
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseFunctionInput(text, spec.validateInput);
  if (!parsed.ok) throw new Error(parsed.error);
  return { value: parsed.value };
}

/** Runs an engine operation under a cancellable progress notification showing its stages. */
export function withStageProgress<T>(
  context: CommandContext,
  title: string,
  operation: (options: CallOptions) => Promise<Result<T, WorkflowError>>,
): Thenable<Result<T, WorkflowError>> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancellation = token.onCancellationRequested(() => controller.abort());
      try {
        return await operation({
          signal: controller.signal,
          onProgress: (event) => {
            const message = progressMessage(event);
            context.log.info(`[${event.functionName}] ${message}`);
            progress.report({ message });
          },
        });
      } finally {
        cancellation.dispose();
      }
    },
  );
}

async function showResult(context: CommandContext, picked: PickedFunction, record: RunRecord): Promise<void> {
  await context.results.show(picked.folder.name, picked.fn.name, record.id, record.output);
  const how = record.reused ? "stored workflow" : "newly planned workflow";
  void vscode.window.showInformationMessage(`${picked.fn.name} finished in ${formatDuration(record.durationMs)} (${how}).`, "Inspect").then((choice) => {
    if (choice) inBackground(context.log, `Inspecting ${picked.fn.name}`, () => context.inspectors.show(picked.folder, picked.fn.name));
  });
}

/**
 * `llmFunction.runFunction(folderUri?, functionName?, input?)`: with all three (CodeLens, tests)
 * no UI asks anything; the input is still validated before anything runs. Returns the run record.
 */
export async function runFunction(context: CommandContext, target: CommandTarget): Promise<RunRecord | undefined> {
  const picked = await pickFunction(context.runtimes, target, "Run which LLM function?");
  if (!picked) return undefined;
  let input: unknown;
  if (target.hasInput) {
    const spec = picked.session.functionSpec(picked.fn.name);
    const validated = spec?.validateInput(target.input);
    if (validated && !validated.ok) {
      const error = workflowError("INPUT_VALIDATION", "input", `The input of ${picked.fn.name} does not match its schema: ${formatIssues(validated.error)}`, { issues: validated.error });
      reportWorkflowError(context.log, picked.fn.name, error);
      return recordRun(context, picked, target.input, Date.now(), { ok: false, error });
    }
    input = target.input;
  } else {
    const asked = await askForInput(picked);
    if (!asked) return undefined;
    input = asked.value;
  }
  const started = Date.now();
  context.log.info(`Running ${picked.fn.name} in ${picked.folder.name} with ${JSON.stringify(input)}`);
  const outcome = await withStageProgress(context, `LLM Function: ${picked.fn.name}`, (options) => picked.session.call(picked.fn.name, input, options));
  const record = recordRun(context, picked, input, started, outcome.ok ? { ok: true, outcome: outcome.value } : { ok: false, error: outcome.error });
  if (record.ok) {
    context.log.info(`${picked.fn.name} finished in ${record.durationMs} ms.`);
    await showResult(context, picked, record);
  } else if (record.error) {
    const retryTarget: CommandTarget = { folderUri: picked.folder.uri.toString(), functionName: picked.fn.name, input, hasInput: true };
    reportWorkflowError(context.log, picked.fn.name, record.error, () => runFunction(context, retryTarget));
  }
  return record;
}

type RunResult = { ok: true; outcome: CallOutcome } | { ok: false; error: WorkflowError };

function recordRun(context: CommandContext, picked: PickedFunction, input: unknown, started: number, result: RunResult): RunRecord {
  const base = { functionName: picked.fn.name, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, input };
  const record = context.runtimes.history(picked.folder).add(
    result.ok
      ? {
          ...base,
          ok: true,
          output: result.outcome.output,
          workflowId: result.outcome.workflow.id,
          reused: result.outcome.reused,
          trace: result.outcome.trace,
        }
      : { ...base, ok: false, error: result.error },
  );
  context.runtimes.notify(picked.folder, "run");
  return record;
}

/** `llmFunction.planFunction(folderUri?, functionName?)`: plans anew even when a workflow is stored. */
export async function planFunction(context: CommandContext, target: CommandTarget): Promise<WorkflowFile | undefined> {
  const picked = await pickFunction(context.runtimes, target, "Plan (or replan) which LLM function?");
  if (!picked) return undefined;
  context.log.info(`Planning ${picked.fn.name} in ${picked.folder.name}.`);
  const planned = await withStageProgress(context, `LLM Function: planning ${picked.fn.name}`, (options) =>
    picked.session.plan(picked.fn.name, { ...options, forceReplan: true }),
  );
  context.runtimes.notify(picked.folder, "workflows");
  if (!planned.ok) {
    // Retrying plans the same function again, without asking which one.
    const retryTarget: CommandTarget = { folderUri: picked.folder.uri.toString(), functionName: picked.fn.name, hasInput: false };
    reportWorkflowError(context.log, `Planning ${picked.fn.name}`, planned.error, () => planFunction(context, retryTarget));
    return undefined;
  }
  const steps = planned.value.steps.filter((step) => step.tool !== OUTPUT_STEP).length;
  context.log.info(`Planned ${picked.fn.name}: ${steps} tool steps, ${planned.value.stats.llmCalls} LLM calls.`);
  void vscode.window.showInformationMessage(`Planned ${picked.fn.name}: ${steps} tool steps.`, "Inspect").then((choice) => {
    if (choice) inBackground(context.log, `Inspecting ${picked.fn.name}`, () => context.inspectors.show(picked.folder, picked.fn.name));
  });
  return planned.value;
}
