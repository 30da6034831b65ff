import { parseArgs } from "node:util";

export const USAGE = `Usage: llmfn <command> [options]

Commands:
  list                         List the workspace's LLM functions with their status
  run <function> --input <json|@file>
                               Run a function (plans it first when no workflow is stored)
  plan <function> [--force]    Plan a function and store its workflow (--force: plan anew)
  plan --all [--force]         Plan every function that is not ready, one at a time (--force: all)
  show <function>              Show a function, its contract and its stored workflows
  verify [functions…] [--json] [--junit FILE] [--allow STATES]
                               Replay the stored workflows on their test cases, with no LLM;
                               exit 0 only when every selected function passes, or is in a
                               state --allow lists (stale,unverified,not-planned,refused)

Options:
  --workspace <dir>   Workspace folder (default: the current directory)
  --host <url>        Ollama host (default: llmFunction.ollama.host in .vscode/settings.json,
                      else $OLLAMA_HOST, else http://127.0.0.1:11434)
  --model <name>      Model (default: llmFunction.ollama.model in .vscode/settings.json,
                      else $LLMFN_MODEL, else qwen3:8b)
  --json              Machine-readable output on stdout
  --verbose           Also log informational messages (and tool output) to stderr
  -h, --help          Show this help

The other llmFunction.* settings of .vscode/settings.json (planning, storage, discovery,
tools) apply as in the extension; an invalid value is a usage error.

Exit codes: 0 success, 1 the function failed, 2 bad usage or bad input, 130 cancelled.`;

export type Command = "list" | "run" | "plan" | "show" | "verify";

/** States `verify --allow` accepts besides passed (a failed test is never allowed). */
export const ALLOWABLE_VERIFY_STATES = ["stale", "unverified", "not_planned", "refused"] as const;
export type AllowableVerifyState = (typeof ALLOWABLE_VERIFY_STATES)[number];

export interface CliArgs {
  command: Command;
  functionName?: string;
  /** verify: the functions named (none: every function). */
  functionNames: string[];
  /** plan: every function that is not ready. */
  all: boolean;
  /** verify: where to write a JUnit XML report. */
  junit?: string;
  /** verify: states that do not fail the command. */
  allow: AllowableVerifyState[];
  input?: string;
  force: boolean;
  workspace?: string;
  host?: string;
  model?: string;
  json: boolean;
  verbose: boolean;
}

export type ParsedArgs = { kind: "help" } | { kind: "args"; args: CliArgs } | { kind: "usage-error"; message: string };

const COMMANDS: readonly Command[] = ["list", "run", "plan", "show", "verify"];

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        input: { type: "string" },
        force: { type: "boolean", default: false },
        all: { type: "boolean", default: false },
        junit: { type: "string" },
        allow: { type: "string" },
        workspace: { type: "string" },
        host: { type: "string" },
        model: { type: "string" },
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return { kind: "usage-error", message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0 || positionals[0] === "help") return { kind: "help" };
  const [command, functionName, ...extra] = positionals;
  if (!COMMANDS.includes(command as Command)) return { kind: "usage-error", message: `Unknown command "${command}". Commands: ${COMMANDS.join(", ")}.` };
  if (command !== "verify" && extra.length > 0) return { kind: "usage-error", message: `Unexpected arguments: ${extra.join(" ")}.` };
  if (command !== "verify" && (values.junit !== undefined || values.allow !== undefined)) {
    return { kind: "usage-error", message: "--junit and --allow only apply to verify." };
  }
  if (command !== "plan" && values.all) return { kind: "usage-error", message: "--all only applies to plan." };
  if (command === "plan" && values.all && functionName !== undefined) return { kind: "usage-error", message: "plan takes a function name or --all, not both." };
  const allow = parseAllow(values.allow);
  if (typeof allow === "string") return { kind: "usage-error", message: allow };
  if (command === "list" && functionName !== undefined) return { kind: "usage-error", message: "list takes no function name." };
  if (command !== "list" && command !== "verify" && functionName === undefined && !(command === "plan" && values.all)) {
    return { kind: "usage-error", message: `${command} needs a function name: llmfn ${command} <function>${command === "plan" ? " (or --all)" : ""}.` };
  }
  if (command === "run" && values.input === undefined) return { kind: "usage-error", message: "run needs --input <json|@file>." };
  if (command !== "run" && values.input !== undefined) return { kind: "usage-error", message: "--input only applies to run." };
  if (command !== "plan" && values.force) return { kind: "usage-error", message: "--force only applies to plan." };
  return {
    kind: "args",
    args: {
      command: command as Command,
      ...(functionName === undefined || command === "verify" ? {} : { functionName }),
      functionNames: command === "verify" ? positionals.slice(1) : [],
      all: values.all,
      ...(values.junit === undefined ? {} : { junit: values.junit }),
      allow,
      ...(values.input === undefined ? {} : { input: values.input }),
      force: values.force,
      ...(values.workspace === undefined ? {} : { workspace: values.workspace }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.model === undefined ? {} : { model: values.model }),
      json: values.json,
      verbose: values.verbose,
    },
  };
}

/** `--allow stale,not-planned`: the states verify lets pass, or the usage error. */
function parseAllow(text: string | undefined): AllowableVerifyState[] | string {
  if (text === undefined) return [];
  const states = text.split(",").map((s) => s.trim().replace(/-/g, "_")).filter((s) => s.length > 0);
  const unknown = states.filter((s) => !(ALLOWABLE_VERIFY_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return `--allow takes ${ALLOWABLE_VERIFY_STATES.map((s) => s.replace(/_/g, "-")).join(", ")} (comma-separated), not ${unknown.join(", ")}.`;
  }
  return [...new Set(states)] as AllowableVerifyState[];
}
