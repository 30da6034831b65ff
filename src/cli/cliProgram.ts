// Everything of llmfn after the command line is read (dist/cliProgram.js, loaded by main.ts).
import { stat } from "node:fs/promises";
import { z } from "zod";
import { LlmFunctionError } from "../engine/errors";
import type { Logger } from "../engine/logger";
import type { EarlyHost } from "../workspace/toolHost/hostProcess";
import { WorkspaceSession, type OpenOptions } from "../workspace/workspaceSession";
import type { CliArgs } from "./cliArgs";
import { runCommand } from "./cliCommands";
import type { CliStreams } from "./cliOutput";
import { cliWorkspaceSettings, InvalidSettingError, llmSettingSources } from "./cliSettings";
import { modelsCommand } from "./commands/modelsCommand";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_USAGE } from "./exitCodes";

// One process, one command: zod's compiled parsers (generated on a schema's first parse) would
// cost more than they save; every schema here is parsed a handful of times at most.
z.config({ jitless: true });

/** Runs a parsed command; `earlyHost` is a tool host main.ts started for it (the session may take it over). */
export async function runCli(
  args: CliArgs,
  input: unknown,
  io: CliStreams,
  earlyHost: EarlyHost | undefined,
): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  process.on("SIGINT", () => {
    if (interrupted) process.exit(EXIT_CANCELLED);
    interrupted = true;
    io.err("Cancelling… (press Ctrl-C again to quit at once)");
    controller.abort();
  });

  const logger: Logger = {
    debug: (m) => args.verbose && io.err(`debug: ${m}`),
    info: (m) => args.verbose && io.err(m),
    warn: (m) => io.err(`warning: ${m}`),
    error: (m) => io.err(`error: ${m}`),
  };
  let settings: Awaited<ReturnType<typeof cliWorkspaceSettings>>;
  try {
    settings = await cliWorkspaceSettings(args, process.env, logger);
  } catch (error) {
    if (!(error instanceof InvalidSettingError)) throw error;
    io.err(error.message);
    return EXIT_USAGE;
  }
  // Listing models loads no workspace code: only the settings naming the host are read.
  if (args.command === "models") return modelsCommand(settings.llm, args.json, io, controller.signal);
  if (!(await isDirectory(settings.folder))) {
    io.err(`No workspace folder at ${settings.folder}.`);
    return EXIT_USAGE;
  }
  let session: WorkspaceSession;
  try {
    session = await WorkspaceSession.open(settings, {
      signal: controller.signal,
      ...partialLoadOf(args),
      ...(earlyHost ? { earlyHost } : {}),
    });
  } catch (error) {
    if (controller.signal.aborted) return EXIT_CANCELLED;
    // Only a configuration the user gave is bad usage; anything else (a broken installation, a crash) is a failure.
    if (error instanceof LlmFunctionError && error.kind === "CONFIG") {
      io.err(`Cannot open the workspace ${settings.folder}: ${error.workflowError.message}`);
      return EXIT_USAGE;
    }
    io.err(`Cannot open the workspace ${settings.folder}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILED;
  }
  try {
    const llmSources = await llmSettingSources(args, process.env);
    const code = await runCommand({ session, args, io, signal: controller.signal, llmSources }, input);
    return interrupted ? EXIT_CANCELLED : code;
  } finally {
    await session.dispose();
  }
}

/**
 * Running or verifying stored workflows loads only the declaration files they need (the session
 * loads the rest if a run must plan, or a workflow looks stale); other commands see everything.
 */
function partialLoadOf(args: CliArgs): Pick<OpenOptions, "functions" | "purpose"> {
  if (args.command === "run" && args.functionName !== undefined) return { functions: [args.functionName] };
  if (args.command === "verify")
    return { functions: args.functionNames.length > 0 ? args.functionNames : "all", purpose: "verify" };
  return {};
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
