// The tool host: a child process that loads declaration bundles and runs tool calls for its parent.
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import { isLlmFunction, type LlmFunction } from "../../engine/llmFunction";
import { isDefinedTool, type DefinedTool } from "../../engine/tools/tool";
import {
  functionReportSchema,
  parentMessageSchema,
  toolReportSchema,
  type HostMessage,
  type LoadProblem,
  type LoadReport,
} from "./protocol";

const tools = new Map<string, Map<string, DefinedTool>>();
const running = new Map<number, AbortController>();

function send(message: HostMessage): void {
  process.send?.(message);
}

process.on("disconnect", () => process.exit(0));

process.on("message", (raw: unknown) => {
  const parsed = parentMessageSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`tool host: ignored a malformed message: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case "load":
      void load(message.file, message.bundlePath).then((report) => send({ type: "loaded", requestId: message.requestId, report }));
      break;
    case "unload":
      tools.delete(message.file);
      break;
    case "call":
      void call(message.requestId, message.file, message.exportName, message.input);
      break;
    case "cancel":
      running.get(message.requestId)?.abort();
      break;
  }
});

async function load(file: string, bundlePath: string): Promise<LoadReport> {
  const report: LoadReport = { tools: [], functions: [], problems: [] };
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(bundlePath).href)) as Record<string, unknown>;
  } catch (error) {
    tools.delete(file);
    report.problems.push({ message: `Loading failed: ${errorText(error)}`, ...positionIn(error, file) });
    return report;
  }
  const fileTools = new Map<string, DefinedTool>();
  for (const [exportName, value] of exportsOf(namespace)) {
    try {
      if (isDefinedTool(value)) {
        const problem = reportTool(exportName, value, report);
        if (problem) report.problems.push(problem);
        else fileTools.set(exportName, value);
      } else if (isLlmFunction(value)) {
        const problem = reportFunction(exportName, value, report);
        if (problem) report.problems.push(problem);
      }
    } catch (error) {
      report.problems.push({ exportName, message: `Export "${exportName}" cannot be used: ${errorText(error)}` });
    }
  }
  tools.set(file, fileTools);
  return report;
}

function reportFunction(exportName: string, value: LlmFunction, report: LoadReport): LoadProblem | undefined {
  const checked = functionReportSchema.safeParse(
    jsonSafe({
      exportName,
      name: value.functionName ?? exportName,
      description: value.description,
      inputSchema: value.inputSchema,
      outputSchema: value.outputSchema,
      tests: value.tests,
      compare: value.compare,
    }),
  );
  if (checked.success) {
    report.functions.push(checked.data);
    return undefined;
  }
  return { exportName, message: `LLM function "${exportName}" cannot be used: ${issuesText(checked.error)}` };
}

function reportTool(exportName: string, value: DefinedTool, report: LoadReport): LoadProblem | undefined {
  const checked = toolReportSchema.safeParse(
    jsonSafe({
      exportName,
      id: value.id,
      name: value.name,
      description: value.description,
      inputSchema: value.inputSchema,
      outputSchema: value.outputSchema,
      tags: value.tags,
      metadata: value.metadata,
    }),
  );
  if (checked.success) {
    report.tools.push(checked.data);
    return undefined;
  }
  return { exportName, message: `Tool "${exportName}" cannot be used: ${issuesText(checked.error)}` };
}

/** ES exports, or the properties of `module.exports` when a CommonJS file was bundled. */
function exportsOf(namespace: Record<string, unknown>): [string, unknown][] {
  const entries = Object.entries(namespace);
  const onlyDefault = entries.length === 1 && entries[0]?.[0] === "default";
  const fallback = namespace.default;
  if (onlyDefault && typeof fallback === "object" && fallback !== null && !isDefinedTool(fallback)) {
    return Object.entries(fallback as Record<string, unknown>);
  }
  return entries;
}

async function call(requestId: number, file: string, exportName: string, input: unknown): Promise<void> {
  const target = tools.get(file)?.get(exportName);
  if (!target) {
    send({ type: "result", requestId, ok: false, message: `The tool host has no tool exported as "${exportName}" from ${file}.` });
    return;
  }
  const controller = new AbortController();
  running.set(requestId, controller);
  try {
    // Parse with the tool's own zod schema too: defaults and transforms behave as in-process.
    const parsed = target.input.safeParse(input);
    if (!parsed.success) throw new Error(`input does not match the tool's schema: ${parsed.error.message}`);
    const output = await target.handler(parsed.data, { signal: controller.signal });
    send({ type: "result", requestId, ok: true, output: jsonSafe(output) });
  } catch (error) {
    send({ type: "result", requestId, ok: false, message: errorText(error) });
  } finally {
    running.delete(requestId);
  }
}

/** What survives the JSON IPC channel; unserializable values fail the report, not the host. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === "string" ? error : String(error);
}

/** The first stack frame in the declaration file itself (source maps point stacks at it). */
function positionIn(error: unknown, file: string): { line?: number; column?: number } {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const url = pathToFileURL(file).href;
  for (const candidate of [file, url]) {
    const at = stack.indexOf(`${candidate}:`);
    if (at < 0) continue;
    const match = /^:(\d+):(\d+)/.exec(stack.slice(at + candidate.length));
    if (match) return { line: Number(match[1]), column: Number(match[2]) };
  }
  return {};
}

send({ type: "ready" });
