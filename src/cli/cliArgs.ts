import { parseArgs } from "node:util";

export const USAGE = `Usage: llmfn <command> [options]

Commands:
  list                         List the workspace's LLM functions with their status
  run <function> --input <json|@file>
                               Run a function (plans it first when no workflow is stored)
  plan <function> [--force]    Plan a function and store its workflow (--force: plan anew)
  show <function>              Show a function, its contract and its stored workflows
  diff <function> [a] [b]      What changed between two stored workflows (default: the two newest);
                               a and b are workflow ids (or their first characters) or file names
  export <function> --format mermaid|markdown|ts [--out FILE]
                               The newest completed workflow as a Mermaid graph, a Markdown
                               summary, or a standalone TypeScript function calling the tools
  models                       The Ollama host's models with their size and context length
  eval [--models a,b] [--runs N] [--functions f,g] [--out DIR]
                               Plan each function N times per model from scratch, in a throwaway
                               storage, and write a report (report.md, report.json) to DIR
                               (default: <storage>/eval/<UTC stamp>)

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

export type Command = "list" | "run" | "plan" | "show" | "diff" | "export" | "eval" | "models";

export const EXPORT_FORMATS = ["mermaid", "markdown", "ts"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface EvalArgs {
  /** Defaults to the workspace's model. */
  models?: string[];
  runs: number;
  /** Defaults to every function of the workspace. */
  functions?: string[];
}

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
  /** diff: the two workflows to compare (ids, id prefixes or file names). */
  versions?: string[];
  /** export */
  format?: ExportFormat;
  /** export: the file to write; eval: the report folder. */
  out?: string;
  eval?: EvalArgs;
}

export type ParsedArgs = { kind: "help" } | { kind: "args"; args: CliArgs } | { kind: "usage-error"; message: string };

const COMMANDS: readonly Command[] = ["list", "run", "plan", "show", "diff", "export", "eval", "models"];
/** Commands that take no function name. */
const WITHOUT_FUNCTION: readonly Command[] = ["list", "eval", "models"];
/** The most runs `eval` accepts per model and function. */
const MAX_EVAL_RUNS = 100;

function nameList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text.split(",").map((name) => name.trim()).filter((name) => name !== "");
}

/** node:util's parseArgs with llmfn's options: throws on an unknown option or a missing value. */
function parseArgv(argv: string[]) {
  return parseArgs({
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
      format: { type: "string" },
      out: { type: "string" },
      models: { type: "string" },
      runs: { type: "string" },
      functions: { type: "string" },
    },
  });
}

export function parseCliArgs(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv(argv);
  } catch (error) {
    return { kind: "usage-error", message: parseArgsProblem(error) };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") return { kind: "help" };
  if (positionals.length === 0) return { kind: "usage-error", message: "No command given." };
  const [command, functionName, ...extra] = positionals;
  if (!COMMANDS.includes(command as Command)) return { kind: "usage-error", message: `Unknown command "${command}". Commands: ${COMMANDS.join(", ")}.` };
  if (extra.length > (command === "diff" ? 2 : 0)) return { kind: "usage-error", message: `Unexpected arguments: ${extra.join(" ")}.` };
  if (WITHOUT_FUNCTION.includes(command as Command) && functionName !== undefined) {
    return { kind: "usage-error", message: `${command} takes no function name${command === "eval" ? " (use --functions a,b)" : ""}.` };
  }
  if (!WITHOUT_FUNCTION.includes(command as Command) && functionName === undefined) return { kind: "usage-error", message: `${command} needs a function name: llmfn ${command} <function>.` };
  if (command === "run" && values.input === undefined) return { kind: "usage-error", message: "run needs --input <json|@file>." };
  if (command !== "run" && values.input !== undefined) return { kind: "usage-error", message: "--input only applies to run." };
  if (command !== "plan" && values.force) return { kind: "usage-error", message: "--force only applies to plan." };
  for (const flag of ["workspace", "host", "model", "input"] as const) {
    if (values[flag] !== undefined && values[flag].trim() === "") return { kind: "usage-error", message: `--${flag} must not be empty.` };
  }
  if (command !== "export" && values.format !== undefined) return { kind: "usage-error", message: "--format only applies to export." };
  if (command !== "export" && command !== "eval" && values.out !== undefined) return { kind: "usage-error", message: "--out only applies to export and eval." };
  for (const flag of ["models", "runs", "functions"] as const) {
    if (command !== "eval" && values[flag] !== undefined) return { kind: "usage-error", message: `--${flag} only applies to eval.` };
  }
  if (command === "export" && !EXPORT_FORMATS.includes(values.format as ExportFormat)) {
    return { kind: "usage-error", message: `export needs --format ${EXPORT_FORMATS.join("|")}.` };
  }
  let evalArgs: EvalArgs | undefined;
  if (command === "eval") {
    const runs = values.runs === undefined ? 1 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > MAX_EVAL_RUNS) return { kind: "usage-error", message: `--runs must be a whole number from 1 to ${MAX_EVAL_RUNS}.` };
    const models = nameList(values.models);
    const functions = nameList(values.functions);
    if (models?.length === 0) return { kind: "usage-error", message: "--models needs at least one model name." };
    if (functions?.length === 0) return { kind: "usage-error", message: "--functions needs at least one function name." };
    if (models && values.model !== undefined) return { kind: "usage-error", message: "Use --models or --model, not both." };
    evalArgs = { runs, ...(models ? { models } : {}), ...(functions ? { functions } : {}) };
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
      ...(command === "diff" ? { versions: extra } : {}),
      ...(command === "export" ? { format: values.format as ExportFormat } : {}),
      ...(values.out === undefined ? {} : { out: values.out }),
      ...(evalArgs ? { eval: evalArgs } : {}),
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
