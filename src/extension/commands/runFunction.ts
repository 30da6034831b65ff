import * as vscode from "vscode";
import { workflowError, type WorkflowError } from "../../engine/errors";
import type { Result } from "../../engine/result";
import type { CallOptions, CallOutcome } from "../../engine/runtimeTypes";
import { OUTPUT_STEP, type WorkflowFile } from "../../engine/workflow/types";
import { parseJsonWithLimits } from "../../engine/json/jsonLimits";
import { formatIssues } from "../../engine/json/validationIssues";
import { parseFunctionInput } from "../input/functionInput";
import { withoutSchemaKey } from "../input/schemaKey";
import { initialInput, prefillFrom, prefillNote, type Prefill } from "../input/inputPrefill";
import { skeletonFromSchema } from "../input/skeletonFromSchema";
import { inBackground, reportWorkflowError } from "../notifications";
import { progressMessage } from "../progressMessages";
import { runNotice } from "../runNotice";
import { storedFailureMessage, storedFailureOf, type StoredFailure } from "../storedFailure";
import type { RunRecord } from "../runHistory";
import type { CommandTarget } from "./commandArgs";
import type { CommandContext } from "./commandContext";
import { pickFunction, type PickedFunction } from "./pickFunction";

const BUTTONS = {
  test: { iconPath: new vscode.ThemeIcon("beaker"), tooltip: "Fill in the next test input" },
  skeleton: { iconPath: new vscode.ThemeIcon("symbol-structure"), tooltip: "Start over from the schema's skeleton" },
  editor: {
    iconPath: new vscode.ThemeIcon("go-to-file"),
    tooltip: "Edit in an editor, validated against the input schema",
  },
} satisfies Record<string, vscode.QuickInputButton>;

/**
 * Asks for the input in an input box prefilled with the last input, a test input or a skeleton,
 * with the cursor inside the first empty string (nothing selected), validating as the user types.
 * Buttons cycle through the test inputs, reset to the skeleton, or move to an editor for large
 * inputs (the run then starts from that editor's CodeLens).
 */
async function askForInput(context: CommandContext, picked: PickedFunction): Promise<{ value: unknown } | undefined> {
  const spec = picked.session.functionSpec(picked.fn.name);
  if (!spec) throw new Error(`${picked.fn.name} is no longer declared.`);
  const folderUri = picked.folder.uri.toString();
  const skeleton = skeletonFromSchema(picked.fn.inputSchema);
  const tests = picked.fn.tests.map((test) => test.input);
  const validate = (text: string) => parseFunctionInput(text, spec.validateInput);
  const box = vscode.window.createInputBox();
  let testIndex = -1;
  const fill = (prefill: Prefill) => {
    box.value = prefill.text;
    box.valueSelection = [prefill.cursor, prefill.cursor];
    box.prompt = `${prefillNote(prefill.source, testIndex)} ${picked.fn.description}`;
    const checked = validate(prefill.text);
    box.validationMessage = checked.ok
      ? undefined
      : { message: checked.error, severity: vscode.InputBoxValidationSeverity.Error };
  };
  box.title = `LLM Function: JSON input for ${picked.fn.name}`;
  box.ignoreFocusOut = true;
  box.buttons = [...(tests.length > 0 ? [BUTTONS.test] : []), BUTTONS.skeleton, BUTTONS.editor];
  const first = initialInput({ last: context.lastInputs.get(folderUri, picked.fn.name), tests, skeleton });
  if (first.source === "test") testIndex = 0;
  fill(first);
  return new Promise((resolve) => {
    let answered = false;
    const finish = (answer: { value: unknown } | undefined) => {
      if (answered) return;
      answered = true;
      resolve(answer);
      box.hide();
    };
    const subscriptions = [
      box.onDidChangeValue((text) => {
        const checked = validate(text);
        box.validationMessage = checked.ok
          ? undefined
          : { message: checked.error, severity: vscode.InputBoxValidationSeverity.Error };
      }),
      box.onDidAccept(() => {
        const checked = validate(box.value);
        if (checked.ok) finish({ value: checked.value });
      }),
      box.onDidTriggerButton((button) => {
        if (button === BUTTONS.test && tests.length > 0) {
          testIndex = (testIndex + 1) % tests.length;
          fill(prefillFrom(tests[testIndex], "test"));
        } else if (button === BUTTONS.skeleton) {
          fill(prefillFrom(skeleton, "skeleton"));
        } else if (button === BUTTONS.editor) {
          const current = parseJsonWithLimits(box.value);
          finish(undefined);
          inBackground(context.log, `Editing the input of ${picked.fn.name}`, () =>
            context.inputFiles.open(
              { folderUri, functionName: picked.fn.name },
              picked.fn.inputSchema,
              current.ok ? current.value : skeleton,
            ),
          );
        }
      }),
      box.onDidHide(() => {
        for (const subscription of subscriptions) subscription.dispose();
        box.dispose();
        finish(undefined);
      }),
    ];
    box.show();
  });
}

/** `llmFunction.runInputFile(uri)`: runs the function an input file belongs to with its content. */
export async function runInputFile(
  context: CommandContext,
  uri: vscode.Uri | undefined,
): Promise<RunRecord | undefined> {
  const file = uri ?? vscode.window.activeTextEditor?.document.uri;
  const target = file && context.inputFiles.targetOf(file);
  if (!file || !target)
    throw new Error("Open an input file (from the input box's editor button) to run a function with it.");
  const folder = context.runtimes.folderFor(target.folderUri);
  const session = folder && (await context.runtimes.session(folder));
  const spec = session?.functionSpec(target.functionName);
  if (!spec) throw new Error(`${target.functionName} is no longer declared in this workspace.`);
  const text = (await vscode.workspace.openTextDocument(file)).getText();
  const parsed = parseFunctionInput(text, (value) => spec.validateInput(withoutSchemaKey(value)));
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(`${target.functionName}: the input file is not valid yet. ${parsed.error}`);
    return undefined;
  }
  return runFunction(context, {
    folderUri: target.folderUri,
    functionName: target.functionName,
    input: withoutSchemaKey(parsed.value),
    hasInput: true,
  });
}

/**
 * A run or planning shorter than this shows no progress notification: a cached run takes a few
 * milliseconds, and a toast that flashes by says nothing. It also matters because VS Code drops
 * toasts beyond three within 800 ms, so a flashed progress toast could swallow the result's.
 */
const PROGRESS_DELAY_MS = 400;

/** Runs an engine operation, under a cancellable progress notification showing its stages once it takes a while. */
export function withStageProgress<T>(
  context: CommandContext,
  title: string,
  operation: (options: CallOptions) => Promise<Result<T, WorkflowError>>,
): Promise<Result<T, WorkflowError>> {
  const controller = new AbortController();
  let latest: string | undefined;
  let report: ((message: string) => void) | undefined;
  const running = operation({
    signal: controller.signal,
    onProgress: (event) => {
      const message = progressMessage(event);
      context.log.info(`[${event.functionName}] ${message}`);
      latest = message;
      report?.(message);
    },
  });
  const timer = setTimeout(() => {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const cancellation = token.onCancellationRequested(() => controller.abort());
        report = (message) => progress.report({ message });
        if (latest) report(latest);
        // The caller awaits `running` and handles its outcome; this only keeps the toast open until then.
        await running.catch(() => undefined);
        report = undefined;
        cancellation.dispose();
      },
    );
  }, PROGRESS_DELAY_MS);
  return running.finally(() => clearTimeout(timer));
}

async function showResult(context: CommandContext, picked: PickedFunction, record: RunRecord): Promise<void> {
  await context.results.show(picked.folder.name, picked.fn.name, record.output);
  const notice = runNotice(picked.fn.name, record);
  if (notice.severity === "warning") context.log.warn(notice.text);
  const shown =
    notice.severity === "warning"
      ? vscode.window.showWarningMessage(notice.text, ...notice.actions)
      : vscode.window.showInformationMessage(notice.text, ...notice.actions);
  void shown.then((choice) => {
    if (choice === "Inspect")
      inBackground(context.log, `Inspecting ${picked.fn.name}`, () =>
        context.inspectors.show(picked.folder, picked.fn.name),
      );
    else if (choice === "Replan")
      inBackground(context.log, `Replanning ${picked.fn.name}`, () =>
        vscode.commands.executeCommand("llmFunction.planFunction", picked.folder.uri.toString(), picked.fn.name),
      );
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
      const error = workflowError(
        "INPUT_VALIDATION",
        "input",
        `The input of ${picked.fn.name} does not match its schema: ${formatIssues(validated.error)}`,
        { issues: validated.error },
      );
      reportWorkflowError(context.log, picked.fn.name, error);
      return recordRun(context, picked, target.input, Date.now(), { ok: false, error });
    }
    input = target.input;
  } else {
    const asked = await askForInput(context, picked);
    if (!asked) return undefined;
    input = asked.value;
  }
  // Validated by now: the next input box starts from it, also after a reload.
  await context.lastInputs.remember(picked.folder.uri.toString(), picked.fn.name, input);
  const started = Date.now();
  context.log.info(`Running ${picked.fn.name} in ${picked.folder.name} with ${JSON.stringify(input)}`);
  const outcome = await withStageProgress(context, `LLM Function: ${picked.fn.name}`, (options) =>
    picked.session.call(picked.fn.name, input, options),
  );
  const record = recordRun(
    context,
    picked,
    input,
    started,
    outcome.ok ? { ok: true, outcome: outcome.value } : { ok: false, error: outcome.error },
  );
  if (record.ok) {
    context.log.info(`${picked.fn.name} finished in ${record.durationMs} ms.`);
    await showResult(context, picked, record);
  } else if (record.error) {
    const stored = storedFailureOf(record.error);
    if (stored) {
      reportStoredFailure(context, picked, record.error, stored);
    } else {
      const retryTarget: CommandTarget = {
        folderUri: picked.folder.uri.toString(),
        functionName: picked.fn.name,
        input,
        hasInput: true,
      };
      reportWorkflowError(context.log, picked.fn.name, record.error, () => runFunction(context, retryTarget));
    }
  }
  return record;
}

/** A replayed failed planning: say it is stored and offer the ways out, Replan first. */
function reportStoredFailure(
  context: CommandContext,
  picked: PickedFunction,
  error: WorkflowError,
  stored: StoredFailure,
): void {
  const text = storedFailureMessage(picked.fn.name, error, stored, vscode.env.language);
  context.log.warn(text);
  const folderUri = picked.folder.uri.toString();
  void vscode.window.showErrorMessage(text, "Replan", "Inspect", "Show Log").then((choice) => {
    if (choice === "Replan")
      inBackground(context.log, `Replanning ${picked.fn.name}`, () =>
        vscode.commands.executeCommand("llmFunction.planFunction", folderUri, picked.fn.name),
      );
    else if (choice === "Inspect")
      inBackground(context.log, `Inspecting ${picked.fn.name}`, () =>
        context.inspectors.show(picked.folder, picked.fn.name),
      );
    else if (choice === "Show Log") context.log.show(true);
  });
}

type RunResult = { ok: true; outcome: CallOutcome } | { ok: false; error: WorkflowError };

function recordRun(
  context: CommandContext,
  picked: PickedFunction,
  input: unknown,
  started: number,
  result: RunResult,
): RunRecord {
  const base = {
    functionName: picked.fn.name,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    input,
  };
  const record = context.runtimes.history(picked.folder).add(
    result.ok
      ? {
          ...base,
          ok: true,
          output: result.outcome.output,
          workflowId: result.outcome.workflow.id,
          reused: result.outcome.reused,
          ...(result.outcome.warning === undefined ? {} : { warning: result.outcome.warning }),
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
    const retryTarget: CommandTarget = {
      folderUri: picked.folder.uri.toString(),
      functionName: picked.fn.name,
      hasInput: false,
    };
    reportWorkflowError(context.log, `Planning ${picked.fn.name}`, planned.error, () =>
      planFunction(context, retryTarget),
    );
    return undefined;
  }
  const steps = planned.value.steps.filter((step) => step.tool !== OUTPUT_STEP).length;
  context.log.info(`Planned ${picked.fn.name}: ${steps} tool steps, ${planned.value.stats.llmCalls} LLM calls.`);
  void vscode.window
    .showInformationMessage(`Planned ${picked.fn.name}: ${steps} tool steps.`, "Inspect")
    .then((choice) => {
      if (choice)
        inBackground(context.log, `Inspecting ${picked.fn.name}`, () =>
          context.inspectors.show(picked.folder, picked.fn.name),
        );
    });
  return planned.value;
}
