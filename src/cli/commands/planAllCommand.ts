import type { FunctionStatus } from "../../engine/runtimeTypes";
import type { CommandContext } from "../cliCommands";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK } from "../exitCodes";
import { progressLine, statusLabel, table } from "../cliOutput";

interface PlanAllRow {
  function: string;
  before: FunctionStatus;
  result: "planned" | "failed" | "skipped" | "cancelled";
  workflowId?: string;
  file?: string;
  error?: { kind: string; stage: string; message: string };
}

/**
 * `llmfn plan --all`: plans every function that is not ready (every function with --force), one
 * at a time, then prints a summary. Exit 0 when every planning completed.
 */
export async function planAllCommand(context: CommandContext): Promise<number> {
  const { session, args, io, signal } = context;
  const rows: PlanAllRow[] = [];
  for (const fn of session.discovery.functions) {
    const before = (await session.state(fn.name)).status;
    if (signal.aborted) {
      rows.push({ function: fn.name, before, result: "cancelled" });
      continue;
    }
    if (before === "ready" && !args.force) {
      rows.push({ function: fn.name, before, result: "skipped" });
      continue;
    }
    io.err(`${fn.name} (${statusLabel(before)}): planning…`);
    // An unverified workflow still runs, so only a forced planning replaces it.
    const forceReplan = args.force || before === "unverified";
    const planned = await session.plan(fn.name, {
      signal,
      forceReplan,
      onProgress: (event) => io.err(progressLine(event)),
    });
    if (planned.ok) {
      const stored = (await session.workflows(fn.name)).find((s) => s.workflow.id === planned.value.id);
      rows.push({
        function: fn.name,
        before,
        result: "planned",
        workflowId: planned.value.id,
        ...(stored ? { file: stored.file } : {}),
      });
    } else {
      const { kind, stage, message } = planned.error;
      rows.push({
        function: fn.name,
        before,
        result: kind === "CANCELLED" ? "cancelled" : "failed",
        error: { kind, stage, message },
      });
    }
  }
  const failed = rows.filter((r) => r.result === "failed").length;
  const cancelled = rows.some((r) => r.result === "cancelled");
  if (args.json) {
    io.out(JSON.stringify({ ok: failed === 0 && !cancelled, functions: rows }, null, 2));
  } else {
    const lines = table([
      ["FUNCTION", "WAS", "RESULT"],
      ...rows.map((r) => [r.function, statusLabel(r.before), resultText(r)]),
    ]);
    for (const line of lines) io.out(line);
    const planned = rows.filter((r) => r.result === "planned").length;
    const skipped = rows.filter((r) => r.result === "skipped").length;
    io.out(`\n${planned} planned, ${failed} failed, ${skipped} already ready${cancelled ? ", cancelled" : ""}`);
  }
  if (cancelled) return EXIT_CANCELLED;
  return failed === 0 ? EXIT_OK : EXIT_FAILED;
}

function resultText(row: PlanAllRow): string {
  switch (row.result) {
    case "planned":
      return `planned: workflow ${row.workflowId ?? ""}`;
    case "failed":
      return `failed at stage "${row.error?.stage}" (${row.error?.kind}): ${row.error?.message}`;
    case "skipped":
      return "ready, not planned again";
    case "cancelled":
      return "cancelled";
  }
}
