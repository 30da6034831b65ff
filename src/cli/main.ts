// `llmfn`: the command-line face of a workspace's LLM functions. This entry (dist/cli.js) stays
// small: it reads the command line and starts the tool host before loading the rest
// (dist/cliProgram.js: zod, the engine, the workspace layer, compiled from V8's code cache when it
// holds it), so the two start-ups overlap.
import { join } from "node:path";
import { parseCliArgs, USAGE } from "./cliArgs";
import { cacheRoot } from "../workspace/cacheRoot";
import { readInputArg } from "./cliInput";
import type { CliStreams } from "./cliOutput";
import { requireCompiled } from "./compiledProgram";
import { startEarlyHost } from "./earlyHost";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./exitCodes";

type CliProgram = typeof import("./cliProgram");

async function main(argv: string[]): Promise<number> {
  const io: CliStreams = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  const parsed = parseCliArgs(argv);
  if (parsed.kind === "help") {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (parsed.kind === "usage-error") {
    io.err(`${parsed.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { args } = parsed;

  // Bad input is refused before any workspace code is loaded.
  let input: unknown;
  if (args.command === "run" && args.input !== undefined) {
    const read = await readInputArg(args.input, process.cwd());
    if (!read.ok) {
      io.err(read.message);
      return EXIT_USAGE;
    }
    input = read.value;
  }

  // Every command but `models` opens the workspace, which loads its declarations in the host.
  const earlyHost = args.command === "models" ? undefined : await startEarlyHost(args.workspace);
  try {
    const root = cacheRoot();
    const program = requireCompiled<CliProgram>(
      join(__dirname, "cliProgram.js"),
      root === undefined ? undefined : join(root, "code"),
    );
    const code = await program.exports.runCli(args, input, io, earlyHost);
    const unsaved = program.saveCache();
    if (unsaved !== undefined && args.verbose) io.err(`debug: ${unsaved}`);
    return code;
  } finally {
    // Stopped here unless the session took it over.
    earlyHost?.discard();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `llmfn: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_FAILED;
  },
);
