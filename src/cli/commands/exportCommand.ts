import { describeUnknown } from "../../engine/errors";
import { writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import { workflowMarkdown } from "../../engine/review/exportMarkdown";
import { workflowMermaid } from "../../engine/review/exportMermaid";
import { workflowTypeScript, type EjectTarget } from "../../engine/review/exportTypeScript";
import type { WorkflowFile } from "../../engine/workflow/types";
import type { WorkspaceSession } from "../../workspace/workspaceSession";
import type { CommandContext } from "../cliCommands";
import { EXIT_FAILED, EXIT_OK } from "../exitCodes";

/** `./weather.llm` for `<dir>/weather.llm.ts`: how a file next to `fromDir` imports the declaration file. */
export function moduleSpecifier(fromDir: string, file: string): string {
  const path = relative(fromDir, file).split(sep).join("/");
  const withoutTs = path.replace(/\.(ts|js)$/, "").replace(/\.mts$/, ".mjs");
  return withoutTs.startsWith(".") ? withoutTs : `./${withoutTs}`;
}

function ejectTarget(session: WorkspaceSession, name: string, fromDir: string): EjectTarget {
  const fn = session.discovery.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`No LLM function named ${name}.`);
  const tools = new Map(
    session.discovery.tools.map((t) => [
      t.name,
      { module: moduleSpecifier(fromDir, t.location.file), exportName: t.exportName, outputSchema: t.outputSchema },
    ]),
  );
  return { declaration: { module: moduleSpecifier(fromDir, fn.location.file), exportName: fn.exportName }, tools };
}

/** `llmfn export <function> --format mermaid|markdown|ts [--out FILE]`, from the newest completed workflow. */
export async function exportCommand(context: CommandContext, name: string): Promise<number> {
  const { session, args, io } = context;
  const newest = (await session.workflows(name)).find((s) => s.workflow.completed);
  if (!newest) {
    io.err(`${name} has no completed workflow to export: plan it first (llmfn plan ${name}).`);
    return EXIT_FAILED;
  }
  const status = await session.status(name);
  if (status !== "ready")
    io.err(
      `warning: ${name} is ${status.replace("_", " ")} (see llmfn list); exporting its newest completed workflow ${newest.workflow.id.slice(0, 12)} anyway.`,
    );
  const out = args.out === undefined ? undefined : resolve(process.cwd(), args.out);
  let text: string;
  try {
    text = render(
      args.format ?? "markdown",
      newest.workflow,
      session,
      name,
      out ? dirname(out) : session.settings.folder,
    );
  } catch (error) {
    io.err(`Cannot export ${name}: ${(error as Error).message}`);
    return EXIT_FAILED;
  }
  if (out === undefined) {
    io.out(text.trimEnd());
    return EXIT_OK;
  }
  try {
    await writeFile(out, text);
  } catch (error) {
    io.err(`Cannot write the export to ${out}: ${describeUnknown(error)}`);
    return EXIT_FAILED;
  }
  io.err(`${name}: workflow ${newest.workflow.id.slice(0, 12)} exported to ${out}`);
  return EXIT_OK;
}

function render(
  format: "mermaid" | "markdown" | "ts",
  workflow: WorkflowFile,
  session: WorkspaceSession,
  name: string,
  fromDir: string,
): string {
  switch (format) {
    case "mermaid":
      return workflowMermaid(workflow);
    case "markdown":
      return workflowMarkdown(workflow);
    case "ts":
      return workflowTypeScript(workflow, ejectTarget(session, name, fromDir));
  }
}
