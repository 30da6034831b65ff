import { describeUnknown } from "../../engine/errors";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { evalMarkdown, type EvalReport } from "../../engine/eval/evalReport";
import { utcStamp } from "../../engine/storage/workflowStore";
import { EVAL_FOLDER } from "../../workspace/evaluation/evalReports";
import { runEvaluation } from "../../workspace/evaluation/runEvaluation";
import type { CommandContext } from "../cliCommands";
import { table } from "../cliOutput";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../exitCodes";

/** `llmfn eval [--models a,b] [--runs N] [--functions f,g] [--out DIR]`. */
export async function evalCommand(context: CommandContext): Promise<number> {
  const { session, args, io, signal } = context;
  const known = session.discovery.functions.map((f) => f.name);
  const functions = args.eval?.functions ?? known;
  const unknown = functions.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    io.err(`No LLM function named ${unknown.join(", ")}. Known functions: ${known.join(", ") || "none"}.`);
    return EXIT_USAGE;
  }
  if (functions.length === 0) {
    io.err(`No LLM functions to evaluate in ${session.settings.folder}.`);
    return EXIT_USAGE;
  }
  const models = args.eval?.models ?? [session.settings.llm.model];
  const runs = args.eval?.runs ?? 1;
  io.err(
    `[eval] ${functions.length} functions × ${runs} run${runs === 1 ? "" : "s"} × ${models.length} model${models.length === 1 ? "" : "s"} (${models.join(", ")})`,
  );
  const result = await runEvaluation(session, { models, runs, functions, signal, onProgress: (line) => io.err(line) });
  const folder =
    args.out === undefined
      ? join(session.storagePath, EVAL_FOLDER, utcStamp(new Date()))
      : resolve(process.cwd(), args.out);
  try {
    await writeReport(folder, result.report);
  } catch (error) {
    io.err(`Cannot write the evaluation report to ${folder}: ${describeUnknown(error)}`);
    return EXIT_FAILED;
  }
  if (args.json) io.out(JSON.stringify({ ok: result.ok, folder, ...result.report }, null, 2));
  else for (const line of summaryLines(result.report)) io.out(line);
  io.err(`[eval] report written to ${join(folder, "report.md")} and report.json`);
  if (result.report.cancelled) return EXIT_CANCELLED;
  if (!result.ok) {
    io.err(`eval stopped at stage "${result.error.stage}" (${result.error.kind}): ${result.error.message}`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

/** Each file is written whole, then renamed into place. */
async function writeReport(folder: string, report: EvalReport): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const [name, text] of [
    ["report.json", `${JSON.stringify(report, null, 2)}\n`],
    ["report.md", evalMarkdown(report)],
  ] as const) {
    const file = join(folder, name);
    await writeFile(`${file}.tmp`, text);
    await rename(`${file}.tmp`, file);
  }
}

function summaryLines(report: EvalReport): string[] {
  const rows = [
    ["MODEL", "SUCCESS", "RATE", "COMPLETED", "EXPECTED REFUSALS", "TESTS PASSED", "LLM CALLS", "TOKENS", "WALL TIME"],
  ];
  for (const t of report.totals) {
    const rate = t.runs === 0 ? "–" : `${((100 * t.successes) / t.runs).toFixed(1)} %`;
    rows.push([
      t.model,
      `${t.successes}/${t.runs}`,
      rate,
      String(t.completed),
      String(t.expectedRefusals),
      `${t.testsPassed}/${t.testsTotal}`,
      String(t.llmCalls),
      t.tokens ? `${t.tokens.prompt} + ${t.tokens.answer}` : "–",
      `${(t.wallMs / 1000).toFixed(1)} s`,
    ]);
  }
  return table(rows);
}
