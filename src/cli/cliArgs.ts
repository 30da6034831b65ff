import { parseArgs } from "node:util";

export const USAGE = `Usage: llmfn <command> [options]

Commands:
  list                         List the workspace's LLM functions with their status
  run <function> --input <json|@file>
                               Run a function (plans it first when no workflow is stored)
  plan <function> [--force]    Plan a function and store its workflow (--force: plan anew)
  show <function>              Show a function, its contract and its stored workflows

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

export type Command = "list" | "run" | "plan" | "show";

export interface CliArgs {
  command: Command;
  functionName?: string;
  input?: string;
  force: boolean;
  workspace?: string;
  host?: string;
  model?: string;
  json: boolean;
  verbose: boolean;
}

export type ParsedArgs = { kind: "help" } | { kind: "args"; args: CliArgs } | { kind: "usage-error"; message: string };

const COMMANDS: readonly Command[] = ["list", "run", "plan", "show"];

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
        workspace: { type: "string" },
        host: { type: "string" },
        model: { type: "string" },
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    return { kind: "usage-error", message: parseArgsProblem(error) };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") return { kind: "help" };
  if (positionals.length === 0) return { kind: "usage-error", message: "No command given." };
  const [command, functionName, ...extra] = positionals;
  if (!COMMANDS.includes(command as Command)) return { kind: "usage-error", message: `Unknown command "${command}". Commands: ${COMMANDS.join(", ")}.` };
  if (extra.length > 0) return { kind: "usage-error", message: `Unexpected arguments: ${extra.join(" ")}.` };
  if (command === "list" && functionName !== undefined) return { kind: "usage-error", message: "list takes no function name." };
  if (command !== "list" && functionName === undefined) return { kind: "usage-error", message: `${command} needs a function name: llmfn ${command} <function>.` };
  if (command === "run" && values.input === undefined) return { kind: "usage-error", message: "run needs --input <json|@file>." };
  if (command !== "run" && values.input !== undefined) return { kind: "usage-error", message: "--input only applies to run." };
  if (command !== "plan" && values.force) return { kind: "usage-error", message: "--force only applies to plan." };
  for (const flag of ["workspace", "host", "model", "input"] as const) {
    if (values[flag] !== undefined && values[flag].trim() === "") return { kind: "usage-error", message: `--${flag} must not be empty.` };
  }
  return {
    kind: "args",
    args: {
      command: command as Command,
      ...(functionName === undefined ? {} : { functionName }),
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

/**
 * node:util's parse error in our words: its unknown-option text goes on with advice about `--`
 * and an unbalanced quote (`as in '-- "--bogus"`) that means nothing to a user of llmfn.
 */
function parseArgsProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const missing = /^Option '([^']+)' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value.`;
  return message;
}
