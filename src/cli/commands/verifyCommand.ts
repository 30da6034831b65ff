import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describeUnknown } from "../../engine/errors";
import { VERIFY_STATUSES, type VerifyResult, type VerifyStatus } from "../../engine/runtime/verifyStored";
import { describeCodeChange } from "../../engine/workflow/codeRecord";
import { describeDiffs } from "../../engine/workflow/describeDiffs";
import type { CommandContext } from "../cliCommands";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../exitCodes";
import { failureLine, table } from "../cliOutput";
import { junitReport } from "./junitReport";

/**
 * `llmfn verify [functions…]`: replays each function's newest completed workflow on its test
 * cases, with no LLM and without writing anything but the JUnit report asked for. Exit 0 only
 * when every selected function passed or is in a state `--allow` lists.
 */
export async function verifyCommand(context: CommandContext): Promise<number> {
  const { session, args, io, signal } = context;
  const known = session.discovery.functions.map((f) => f.name);
  const unknown = args.functionNames.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    io.err(
      `No LLM function named ${unknown.map((n) => `"${n}"`).join(", ")}. Known functions: ${known.length > 0 ? known.join(", ") : "none"}.`,
    );
    return EXIT_USAGE;
  }
  const names = args.functionNames.length > 0 ? [...new Set(args.functionNames)] : known;
  const started = performance.now();
  const results: VerifyResult[] = [];
  for (const name of names) {
    const verified = await session.verify(name, { signal });
    if (!verified.ok) {
      io.err(failureLine(name, verified.error));
      return verified.error.kind === "CANCELLED" ? EXIT_CANCELLED : EXIT_FAILED;
    }
    results.push(verified.value);
  }
  const allowed = (result: VerifyResult) =>
    result.status === "passed" || (args.allow as readonly VerifyStatus[]).includes(result.status);
  // A declaration file that does not compile hides its functions from the list above: their
  // committed workflows cannot be replayed, so verify cannot pass.
  const declarationErrors = session.discovery.diagnostics.filter((d) => d.severity === "error").length;
  const passed = results.every(allowed) && declarationErrors === 0;
  const summary = Object.fromEntries(
    VERIFY_STATUSES.map((status) => [status, results.filter((r) => r.status === status).length]),
  );

  if (args.junit !== undefined) {
    const file = resolve(process.cwd(), args.junit);
    try {
      await writeFile(file, junitReport(results, allowed));
    } catch (error) {
      io.err(`Cannot write the JUnit report to ${file}: ${describeUnknown(error)}`);
      return EXIT_FAILED;
    }
  }
  if (args.json) {
    io.out(
      JSON.stringify(
        {
          ok: passed,
          workspace: session.settings.folder,
          allowed: args.allow,
          declarationErrors,
          summary,
          functions: results,
        },
        null,
        2,
      ),
    );
    return passed ? EXIT_OK : EXIT_FAILED;
  }
  const declarationLine = `${declarationErrors} declaration problem${declarationErrors === 1 ? "" : "s"} (above): the functions of a file that does not load cannot be verified.`;
  if (results.length === 0) {
    io.out(`No LLM functions to verify in ${session.settings.folder}.`);
    if (declarationErrors > 0) io.out(declarationLine);
    return passed ? EXIT_OK : EXIT_FAILED;
  }
  const rows = results.map((r) => [label(r, allowed(r)), r.function, headline(r)]);
  for (const [index, line] of table(rows).entries()) {
    io.out(line);
    for (const detail of details(results[index]!)) io.out(`    ${detail}`);
  }
  const counts = VERIFY_STATUSES.filter((s) => summary[s]! > 0).map((s) => `${summary[s]} ${s.replace(/_/g, " ")}`);
  io.out(
    `\n${results.length} function${results.length === 1 ? "" : "s"}: ${counts.join(", ")} (${Math.round(performance.now() - started)} ms, no LLM)`,
  );
  if (declarationErrors > 0) io.out(declarationLine);
  return passed ? EXIT_OK : EXIT_FAILED;
}

function label(result: VerifyResult, allowed: boolean): string {
  const status = result.status.replace(/_/g, " ").toUpperCase();
  return result.status !== "passed" && allowed ? `${status} (allowed)` : status;
}

function headline(result: VerifyResult): string {
  const workflow = result.workflow ? `workflow ${result.workflow.id}` : "";
  switch (result.status) {
    case "passed":
      return `${result.tests.length} test${result.tests.length === 1 ? "" : "s"} passed, ${workflow}`;
    case "failed": {
      const failed = result.tests.filter((t) => !t.ok).length;
      return result.tests.length > 0
        ? `${failed} of ${result.tests.length} tests fail, ${workflow}`
        : `${result.reason ?? ""}`;
    }
    default:
      return result.reason ?? "";
  }
}

/** A failed function's failing cases with their diffs, and the code changes behind them. */
function details(result: VerifyResult): string[] {
  if (result.status !== "failed") return [];
  const lines: string[] = [];
  for (const test of result.tests.filter((t) => !t.ok)) {
    lines.push(
      `${test.label} ${JSON.stringify(test.input)}: ${test.error ? test.error.message : describeDiffs(test.diffs ?? [])}`,
    );
  }
  for (const change of result.changes) lines.push(`code changed: ${describeCodeChange(change)}`);
  return lines;
}
