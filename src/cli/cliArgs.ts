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

export type Command = "list" | "run" | "plan" | "show" | "verify" | "diff" | "export" | "eval" | "models";

/** States `verify --allow` accepts besides passed (a failed test is never allowed). */
export const ALLOWABLE_VERIFY_STATES = ["stale", "unverified", "not_planned", "refused"] as const;
export type AllowableVerifyState = (typeof ALLOWABLE_VERIFY_STATES)[number];

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
  /** diff: the two workflows to compare (ids, id prefixes or file names). */
  versions?: string[];
  /** export */
  format?: ExportFormat;
  /** export: the file to write; eval: the report folder. */
  out?: string;
  eval?: EvalArgs;
}

export type ParsedArgs = { kind: "help" } | { kind: "args"; args: CliArgs } | { kind: "usage-error"; message: string };

const COMMANDS: readonly Command[] = ["list", "run", "plan", "show", "verify", "diff", "export", "eval", "models"];
/** Commands that take no function name. */
const WITHOUT_FUNCTION: readonly Command[] = ["list", "eval", "models"];
/** The most runs `eval` accepts per model and function. */
const MAX_EVAL_RUNS = 100;

function nameList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
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
      all: { type: "boolean", default: false },
      junit: { type: "string" },
      allow: { type: "string" },
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
  if (!COMMANDS.includes(command as Command))
    return { kind: "usage-error", message: `Unknown command "${command}". Commands: ${COMMANDS.join(", ")}.` };
  if (command !== "verify" && extra.length > (command === "diff" ? 2 : 0))
    return { kind: "usage-error", message: `Unexpected arguments: ${extra.join(" ")}.` };
  if (command !== "verify" && (values.junit !== undefined || values.allow !== undefined)) {
    return { kind: "usage-error", message: "--junit and --allow only apply to verify." };
  }
  if (command !== "plan" && values.all) return { kind: "usage-error", message: "--all only applies to plan." };
  if (command === "plan" && values.all && functionName !== undefined)
    return { kind: "usage-error", message: "plan takes a function name or --all, not both." };
  const allow = parseAllow(values.allow);
  if (typeof allow === "string") return { kind: "usage-error", message: allow };
  if (WITHOUT_FUNCTION.includes(command as Command) && functionName !== undefined) {
    return {
      kind: "usage-error",
      message: `${command} takes no function name${command === "eval" ? " (use --functions a,b)" : ""}.`,
    };
  }
  const nameOptional =
    WITHOUT_FUNCTION.includes(command as Command) || command === "verify" || (command === "plan" && values.all);
  if (!nameOptional && functionName === undefined) {
    return {
      kind: "usage-error",
      message: `${command} needs a function name: llmfn ${command} <function>${command === "plan" ? " (or --all)" : ""}.`,
    };
  }
  if (command === "run" && values.input === undefined)
    return { kind: "usage-error", message: "run needs --input <json|@file>." };
  if (command !== "run" && values.input !== undefined)
    return { kind: "usage-error", message: "--input only applies to run." };
  if (command !== "plan" && values.force) return { kind: "usage-error", message: "--force only applies to plan." };
  for (const flag of ["workspace", "host", "model", "input"] as const) {
    if (values[flag] !== undefined && values[flag].trim() === "")
      return { kind: "usage-error", message: `--${flag} must not be empty.` };
  }
  if (command !== "export" && values.format !== undefined)
    return { kind: "usage-error", message: "--format only applies to export." };
  if (command !== "export" && command !== "eval" && values.out !== undefined)
    return { kind: "usage-error", message: "--out only applies to export and eval." };
  for (const flag of ["models", "runs", "functions"] as const) {
    if (command !== "eval" && values[flag] !== undefined)
      return { kind: "usage-error", message: `--${flag} only applies to eval.` };
  }
  if (command === "export" && !EXPORT_FORMATS.includes(values.format as ExportFormat)) {
    return { kind: "usage-error", message: `export needs --format ${EXPORT_FORMATS.join("|")}.` };
  }
  let evalArgs: EvalArgs | undefined;
  if (command === "eval") {
    const runs = values.runs === undefined ? 1 : Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1 || runs > MAX_EVAL_RUNS)
      return { kind: "usage-error", message: `--runs must be a whole number from 1 to ${MAX_EVAL_RUNS}.` };
    const models = nameList(values.models);
    const functions = nameList(values.functions);
    if (models?.length === 0) return { kind: "usage-error", message: "--models needs at least one model name." };
    if (functions?.length === 0)
      return { kind: "usage-error", message: "--functions needs at least one function name." };
    if (models && values.model !== undefined)
      return { kind: "usage-error", message: "Use --models or --model, not both." };
    evalArgs = { runs, ...(models ? { models } : {}), ...(functions ? { functions } : {}) };
  }
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
      ...(command === "diff" ? { versions: extra } : {}),
      ...(command === "export" ? { format: values.format as ExportFormat } : {}),
      ...(values.out === undefined ? {} : { out: values.out }),
      ...(evalArgs ? { eval: evalArgs } : {}),
    },
  };
}

/** `--allow stale,not-planned`: the states verify lets pass, or the usage error. */
function parseAllow(text: string | undefined): AllowableVerifyState[] | string {
  if (text === undefined) return [];
  const states = text
    .split(",")
    .map((s) => s.trim().replace(/-/g, "_"))
    .filter((s) => s.length > 0);
  const unknown = states.filter((s) => !(ALLOWABLE_VERIFY_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return `--allow takes ${ALLOWABLE_VERIFY_STATES.map((s) => s.replace(/_/g, "-")).join(", ")} (comma-separated), not ${unknown.join(", ")}.`;
  }
  return [...new Set(states)] as AllowableVerifyState[];
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
