import type { WorkflowError } from "../engine/errors";
import type { CallOptions } from "../engine/runtimeTypes";
import type { WorkspaceSession } from "../workspace/workspaceSession";
import type { CliArgs } from "./cliArgs";
import { llmSourcesNote, type LlmSources } from "./cliSettings";
import {
  diagnosticLine,
  failureLine,
  firstLine,
  progressLine,
  statusLabel,
  stepLines,
  table,
  where,
  type CliStreams,
} from "./cliOutput";

import { diffCommand } from "./commands/diffCommand";
import { planAllCommand } from "./commands/planAllCommand";
import { verifyCommand } from "./commands/verifyCommand";
import { evalCommand } from "./commands/evalCommand";
import { exportCommand } from "./commands/exportCommand";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./exitCodes";
import { callUsageLines, planningUsageLine } from "./usageLines";

export interface CommandContext {
  session: WorkspaceSession;
  args: CliArgs;
  io: CliStreams;
  signal: AbortSignal;
  /** Where the host and model came from: named when the endpoint or the model fails. */
  llmSources?: LlmSources;
}

export async function runCommand(context: CommandContext, input: unknown): Promise<number> {
  const { session, args, io } = context;
  for (const diagnostic of session.discovery.diagnostics) io.err(diagnosticLine(diagnostic, session.settings.folder));
  switch (args.command) {
    case "list":
      return list(context);
    case "run":
      return run(context, requireName(args), input);
    case "plan":
      return args.all ? planAllCommand(context) : plan(context, requireName(args));
    case "show":
      return show(context, requireName(args));
    case "verify":
      return verifyCommand(context);
    case "diff":
      return unknownFunction(context, requireName(args)) ?? diffCommand(context, requireName(args));
    case "export":
      return unknownFunction(context, requireName(args)) ?? exportCommand(context, requireName(args));
    case "eval":
      return evalCommand(context);
  }
  return EXIT_USAGE;

  function requireName(a: CliArgs): string {
    if (a.functionName === undefined) throw new Error(`${a.command} needs a function name.`);
    return a.functionName;
  }
}

async function list({ session, args, io }: CommandContext): Promise<number> {
  const folder = session.settings.folder;
  const functions = await Promise.all(
    session.discovery.functions.map(async (fn) => {
      const state = await session.state(fn.name);
      return { fn, status: state.status, state };
    }),
  );
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          workspace: folder,
          functions: functions.map(({ fn, status, state }) => ({
            name: fn.name,
            status,
            ...(state.reason === undefined ? {} : { reason: state.reason }),
            ...(state.changes ? { changes: state.changes } : {}),
            description: fn.description,
            inputSchema: fn.inputSchema,
            outputSchema: fn.outputSchema,
            tests: fn.tests.length,
            ...(fn.expectInfeasible ? { expectInfeasible: true } : {}),
            location: fn.location,
          })),
          tools: session.discovery.tools.map((t) => ({
            name: t.name,
            id: t.id,
            ...(t.code ? { codeFingerprint: t.code.fingerprint } : {}),
            description: t.description,
            location: t.location,
          })),
          diagnostics: session.discovery.diagnostics,
        },
        null,
        2,
      ),
    );
    return EXIT_OK;
  }
  if (functions.length === 0) {
    io.out(`No LLM functions found in ${folder} (declaration files: ${session.settings.include.join(", ")}).`);
    return EXIT_OK;
  }
  const rows = [["FUNCTION", "STATUS", "DECLARED AT", "TASK"]];
  for (const { fn, status } of functions)
    rows.push([fn.name, statusLabel(status), where(fn.location, folder), firstLine(fn.description, 60)]);
  for (const [index, line] of table(rows).entries()) {
    io.out(line);
    // Why a function is not ready: the changed tool and file, the failing test.
    const reason = index > 0 ? functions[index - 1]?.state.reason : undefined;
    if (reason !== undefined) io.out(`    ${reason}`);
  }
  io.out(`\n${session.discovery.tools.length} tools, ${functions.length} functions in ${folder}`);
  return EXIT_OK;
}

function unknownFunction(context: CommandContext, name: string): number | undefined {
  if (context.session.functionSpec(name)) return undefined;
  const known = context.session.discovery.functions.map((f) => f.name);
  context.io.err(`No LLM function named "${name}". Known functions: ${known.length > 0 ? known.join(", ") : "none"}.`);
  return EXIT_USAGE;
}

function callOptions(context: CommandContext, extra: Partial<CallOptions> = {}): CallOptions {
  return { signal: context.signal, onProgress: (event) => context.io.err(progressLine(event)), ...extra };
}

function failed(context: CommandContext, name: string, error: WorkflowError): number {
  if (context.args.json) context.io.out(JSON.stringify({ ok: false, error }, null, 2));
  context.io.err(failureLine(name, error));
  if (error.kind.startsWith("LLM_") && context.llmSources) context.io.err(llmSourcesNote(context.llmSources));
  if (error.kind === "CANCELLED") return EXIT_CANCELLED;
  return error.kind === "INPUT_VALIDATION" ? EXIT_USAGE : EXIT_FAILED;
}

async function run(context: CommandContext, name: string, input: unknown): Promise<number> {
  const missing = unknownFunction(context, name);
  if (missing !== undefined) return missing;
  const spec = context.session.functionSpec(name);
  const valid = spec?.validateInput(input);
  if (valid && !valid.ok) {
    context.io.err(`The input of ${name} does not match its schema:`);
    for (const issue of valid.error) context.io.err(`  ${issue.path.join(".") || "(input)"}: ${issue.message}`);
    return EXIT_USAGE;
  }
  const outcome = await context.session.call(name, input, callOptions(context));
  if (!outcome.ok) return failed(context, name, outcome.error);
  const { output, reused, workflow, trace, warning } = outcome.value;
  if (warning !== undefined) context.io.err(`warning: ${warning}`);
  if (context.args.json) {
    context.io.out(
      JSON.stringify(
        {
          ok: true,
          output,
          reused,
          workflowId: workflow.id,
          durationMs: trace.durationMs,
          ...(warning === undefined ? {} : { warning }),
        },
        null,
        2,
      ),
    );
  } else {
    context.io.out(JSON.stringify(output, null, 2));
    context.io.err(
      `${name}: ${reused ? "stored workflow" : "newly planned workflow"} ${workflow.id.slice(0, 12)}, ran in ${Math.round(trace.durationMs)} ms`,
    );
  }
  return EXIT_OK;
}

async function plan(context: CommandContext, name: string): Promise<number> {
  const missing = unknownFunction(context, name);
  if (missing !== undefined) return missing;
  const outcome = await context.session.plan(
    name,
    callOptions(context, context.args.force ? { forceReplan: true } : {}),
  );
  if (!outcome.ok) return failed(context, name, outcome.error);
  const workflow = outcome.value;
  const stored = (await context.session.workflows(name)).find((s) => s.workflow.id === workflow.id);
  if (context.args.json) {
    context.io.out(JSON.stringify({ ok: true, file: stored?.file ?? null, workflow }, null, 2));
    return EXIT_OK;
  }
  context.io.out(
    `${name}: workflow ${workflow.id.slice(0, 12)} with ${workflow.steps.length - 1} tool steps${stored ? `, stored in ${stored.file}` : ""}`,
  );
  for (const line of stepLines(workflow)) context.io.out(line);
  return EXIT_OK;
}

async function show(context: CommandContext, name: string): Promise<number> {
  const missing = unknownFunction(context, name);
  if (missing !== undefined) return missing;
  const { session, io } = context;
  const fn = session.discovery.functions.find((f) => f.name === name);
  if (!fn) return EXIT_USAGE;
  const [state, stored] = await Promise.all([session.state(name), session.workflows(name)]);
  const { status } = state;
  if (context.args.json) {
    io.out(
      JSON.stringify(
        {
          function: fn,
          status,
          ...(state.reason === undefined ? {} : { reason: state.reason }),
          workflows: stored.map((s) => ({
            file: s.file,
            id: s.workflow.id,
            savedAt: s.workflow.savedAt,
            completed: s.workflow.completed,
            model: s.workflow.model,
            stats: s.workflow.stats,
            calls: s.workflow.history.flatMap((r) =>
              r.llm
                ? [
                    {
                      stage: r.stage,
                      loop: r.loop,
                      attempt: r.attempt,
                      ...(r.step === undefined ? {} : { step: r.step }),
                      llm: r.llm,
                    },
                  ]
                : [],
            ),
          })),
        },
        null,
        2,
      ),
    );
    return EXIT_OK;
  }
  io.out(`${fn.name} (${statusLabel(status)}), declared at ${where(fn.location, session.settings.folder)}`);
  if (state.reason !== undefined) io.out(`Why ${statusLabel(status)}: ${state.reason}`);
  io.out(`Task: ${fn.description.trim()}`);
  io.out(`Input schema:  ${JSON.stringify(fn.inputSchema)}`);
  io.out(`Output schema: ${JSON.stringify(fn.outputSchema)}`);
  io.out(`Test cases: ${fn.tests.length}`);
  if (stored.length === 0) {
    io.out(`No stored workflows: run \`llmfn plan ${fn.name}\` to plan one.`);
    return EXIT_OK;
  }
  io.out(`Stored workflows (newest first):`);
  for (const s of stored)
    io.out(
      `  ${s.workflow.savedAt}  ${s.workflow.completed ? "completed " : "incomplete"}  ${s.workflow.model}  ${s.file}`,
    );
  const newest = stored.find((s) => s.workflow.completed);
  if (newest) {
    io.out(`Steps of the newest completed workflow:`);
    for (const line of stepLines(newest.workflow)) io.out(line);
  }
  const latest = stored[0];
  if (latest) {
    io.out(`LLM usage of the newest workflow:`);
    io.out(planningUsageLine(latest.workflow));
    for (const line of callUsageLines(latest.workflow)) io.out(line);
  }
  return EXIT_OK;
}
