// The tool host: a child process that loads declaration bundles and runs tool calls for its parent.
// It loads no zod of its own: it validates its messages with the zod of the runtime modules user
// code shares (given by URL: zod first, then the SDK), imported at startup or already in its startup snapshot.
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import { sha256Hex } from "../../engine/hash";
import { formatIssues } from "../../engine/json/validationIssues";
import type { LlmFunction } from "../../engine/llmFunction";
import { checkJsonLimits, describeViolation, VALUE_LIMITS } from "../../engine/json/jsonLimits";
import { makeSharedHelpers, SHARED_HELPERS_KEY } from "./sharedBundleHelpers";
import type { DefinedTool } from "../../engine/tools/tool";
import {
  IPC_LIMITS,
  protocolSchemas,
  requestIdOf,
  type HostMessage,
  type LoadItem,
  type LoadProblem,
  type LoadReport,
} from "./protocol";

// The SDK marks its objects with global symbols, so recognising them needs no engine code here.
const TOOL_MARK = Symbol.for("llm-function.tool");
const FUNCTION_MARK = Symbol.for("llm-function.function");
/** Bundles start with a prelude that asks for their `require` here (see declarationBundler). */
const HOST_REQUIRE = Symbol.for("llm-function.hostRequire");

export type Schemas = ReturnType<typeof protocolSchemas>;

/** A CommonJS module compiled from text we read: Node's own loader, minus resolution. */
interface CompilableModule {
  exports: unknown;
  filename: string;
  paths: string[];
  _compile(code: string, filename: string): unknown;
}
const ModuleClass = Module as unknown as {
  new (id: string): CompilableModule;
  _nodeModulePaths(folder: string): string[];
};

const tools = new Map<string, Map<string, DefinedTool>>();
const running = new Map<number, AbortController>();
/** Shared runtime modules by URL, as CommonJS sees them (`require` of the URL returns this). */
const runtimeModules = new Map<string, Promise<Record<string, unknown>>>();
const loadedRuntime = new Map<string, Record<string, unknown>>();
/** `import()` of a URL; a host started from a snapshot compiles its own (see hostSnapshotEntry). */
let importUrl: (url: string) => Promise<unknown> = (url) => import(url);

function send(message: HostMessage): void {
  process.send?.(message);
}

function runtimeModule(url: string): Promise<Record<string, unknown>> {
  let loading = runtimeModules.get(url);
  if (!loading) {
    loading = (importUrl(url) as Promise<Record<string, unknown>>).then((namespace) => {
      const interop = { __esModule: true, ...namespace };
      loadedRuntime.set(url, interop);
      return interop;
    });
    runtimeModules.set(url, loading);
  }
  return loading;
}

/**
 * The `require` a bundle gets: the shared runtime modules by URL or by the bare names in
 * `aliases` (name to URL), anything else as seen from the source file.
 */
function hostRequire(sourceFile: string, aliases: Record<string, string> = {}): NodeJS.Require {
  const base = createRequire(sourceFile);
  const require = ((id: string) => {
    const url = Object.hasOwn(aliases, id) ? aliases[id]! : id;
    const shared = loadedRuntime.get(url);
    if (shared) return shared;
    if (url !== id) throw new Error(`The shared module ${id} (${url}) is not loaded in the tool host.`);
    if (id.startsWith("llm-function/") && aliases["llm-function"])
      throw new Error(`"${id}" is not a module of llm-function; import from "llm-function".`);
    return base(id);
  }) as NodeJS.Require;
  return Object.assign(require, {
    resolve: base.resolve,
    cache: base.cache,
    extensions: base.extensions,
    main: base.main,
  });
}

/** What a host starts from: the runtime modules' URLs, and what it holds of them already. */
export interface HostStart {
  /** URLs of the shared runtime modules: zod first, then the SDK. */
  runtimeUrls: string[];
  /** Runtime modules by URL, already evaluated (a startup snapshot's), with the schemas made from their zod. */
  preloaded?: { modules: ReadonlyMap<string, Record<string, unknown>>; schemas: Schemas };
  importUrl?: (url: string) => Promise<unknown>;
}

/** Runs the host in this process: it says "ready" to its parent once it can take messages. */
export function runToolHost(options: HostStart): void {
  if (options.importUrl) importUrl = options.importUrl;
  process.on("disconnect", () => process.exit(0));
  // A promise a tool forgot to await must not take down the host and every call running in it:
  // log it (stderr is forwarded to the parent's logger) and carry on.
  process.on("unhandledRejection", (reason: unknown) => {
    console.error(
      `tool host: unhandled promise rejection in workspace code: ${reason instanceof Error ? (reason.stack ?? errorText(reason)) : errorText(reason)}`,
    );
  });
  start(options).catch((error: unknown) => {
    console.error(`tool host: failed to start: ${errorText(error)}`);
    process.exit(1);
  });
}

async function start({ runtimeUrls, preloaded }: HostStart): Promise<void> {
  const [zodUrl, ...others] = runtimeUrls;
  if (!zodUrl) throw new Error("tool host: no runtime zod module given");
  for (const [url, namespace] of preloaded?.modules ?? []) {
    const interop = { __esModule: true, ...namespace };
    loadedRuntime.set(url, interop);
    runtimeModules.set(url, Promise.resolve(interop));
  }
  const [zodModule] = await Promise.all([runtimeModule(zodUrl), ...others.map(runtimeModule)]);
  const schemas = preloaded?.schemas ?? protocolSchemas(zodModule.z as typeof z);
  (globalThis as Record<symbol, unknown>)[HOST_REQUIRE] = hostRequire;
  (globalThis as Record<symbol, unknown>)[Symbol.for(SHARED_HELPERS_KEY)] = makeSharedHelpers();
  process.on("message", (raw: unknown) => handle(schemas, raw));
  send({ type: "ready" });
}

function handle(schemas: Schemas, raw: unknown): void {
  const tooBig = checkJsonLimits(raw, IPC_LIMITS);
  if (tooBig) {
    const requestId = requestIdOf(raw);
    const problem = `the message is refused: ${describeViolation(tooBig)}`;
    if (requestId !== undefined && (raw as { type?: unknown }).type === "call")
      send({ type: "result", requestId, ok: false, message: problem });
    else console.error(`tool host: ${problem}`);
    return;
  }
  const parsed = schemas.parentMessage.safeParse(raw);
  if (!parsed.success) {
    console.error(`tool host: ignored a malformed message: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case "load":
      void loadAll(schemas, message.items).then((reports) =>
        send({ type: "loaded", requestId: message.requestId, reports }),
      );
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
}

async function loadAll(schemas: Schemas, items: LoadItem[]): Promise<LoadReport[]> {
  await Promise.all(
    [...new Set(items.flatMap((i) => i.runtimeModules))].map((url) => runtimeModule(url).catch(() => undefined)),
  );
  const reports: LoadReport[] = [];
  // In order, one after the other: a declaration may rely on another's side effects as it would in one program.
  for (const item of items) reports.push(await load(schemas, item));
  return reports;
}

async function load(schemas: Schemas, item: LoadItem): Promise<LoadReport> {
  const { file } = item;
  const report: LoadReport = { tools: [], functions: [], problems: [] };
  let loaded: unknown;
  try {
    // A runtime module that failed to import fails here, naming itself.
    await Promise.all(item.runtimeModules.map(runtimeModule));
    loaded = item.format === "cjs" ? requireBundle(item, file) : await importUrl(pathToFileURL(item.bundlePath).href);
  } catch (error) {
    tools.delete(file);
    report.problems.push({
      message: `Loading failed: ${errorText(error)}`,
      bundleFrames: framesIn(error, item.format === "cjs" ? item.bundlePath : pathToFileURL(item.bundlePath).href),
    });
    return report;
  }
  tools.set(file, describeExports(schemas, loaded, report));
  return report;
}

/** Adds what a loaded bundle's exports declare to its report; returns its usable tools, by export name. */
export function describeExports(schemas: Schemas, loaded: unknown, report: LoadReport): Map<string, DefinedTool> {
  const fileTools = new Map<string, DefinedTool>();
  for (const [exportName, value] of exportsOf(loaded)) {
    try {
      if (isDefinedTool(value)) {
        const problem = reportTool(schemas, exportName, value, report);
        if (problem) report.problems.push(problem);
        else fileTools.set(exportName, value);
      } else if (isLlmFunction(value)) {
        const problem = reportFunction(schemas, exportName, value, report);
        if (problem) report.problems.push(problem);
      }
    } catch (error) {
      report.problems.push({ exportName, message: `Export "${exportName}" cannot be used: ${errorText(error)}` });
    }
  }
  return fileTools;
}

/** Compiles a CommonJS bundle as Node's loader would, module paths as seen from its source file. */
function requireBundle(item: LoadItem, sourceFile: string): unknown {
  const { bundlePath } = item;
  const module = new ModuleClass(bundlePath);
  module.filename = bundlePath;
  module.paths = ModuleClass._nodeModulePaths(dirname(sourceFile));
  module._compile(item.code ?? readFileSync(bundlePath, "utf8"), bundlePath);
  return module.exports;
}

function isDefinedTool(value: unknown): value is DefinedTool {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TOOL_MARK] === true;
}

function isLlmFunction(value: unknown): value is LlmFunction {
  return typeof value === "function" && (value as unknown as Record<symbol, unknown>)[FUNCTION_MARK] === true;
}

function reportFunction(
  schemas: Schemas,
  exportName: string,
  value: LlmFunction,
  report: LoadReport,
): LoadProblem | undefined {
  const checked = schemas.functionReport.safeParse(
    jsonSafe({
      exportName,
      name: value.functionName ?? exportName,
      description: value.description,
      inputSchema: value.inputSchema,
      outputSchema: value.outputSchema,
      tests: value.tests,
      compare: value.compare,
      expectInfeasible: value.expectInfeasible,
    }),
  );
  if (checked.success) {
    report.functions.push(checked.data);
    return undefined;
  }
  return { exportName, message: `LLM function "${exportName}" cannot be used: ${issuesText(checked.error)}` };
}

function reportTool(
  schemas: Schemas,
  exportName: string,
  value: DefinedTool,
  report: LoadReport,
): LoadProblem | undefined {
  const checked = schemas.toolReport.safeParse(
    jsonSafe({
      exportName,
      id: value.id,
      // Tells a tool re-exported by another file (same handler) from a second tool of the same contract.
      handlerHash: sha256Hex(String(value.handler)).slice(0, 16),
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

/**
 * The named exports of a loaded bundle: an ES namespace or CommonJS `module.exports`. A whole
 * `module.exports` that is a tool or function counts as the default export; an object that
 * is the only (default) export stands for the exports of a CommonJS source file.
 */
function exportsOf(loaded: unknown): [string, unknown][] {
  if (isDefinedTool(loaded) || isLlmFunction(loaded)) return [["default", loaded]];
  if (typeof loaded !== "object" || loaded === null) return [];
  const entries = Object.entries(loaded);
  const onlyDefault = entries.length === 1 && entries[0]?.[0] === "default";
  const fallback = (loaded as Record<string, unknown>).default;
  if (onlyDefault && typeof fallback === "object" && fallback !== null && !isDefinedTool(fallback)) {
    return Object.entries(fallback as Record<string, unknown>);
  }
  return entries;
}

async function call(requestId: number, file: string, exportName: string, input: unknown): Promise<void> {
  const target = tools.get(file)?.get(exportName);
  if (!target) {
    send({
      type: "result",
      requestId,
      ok: false,
      message: `The tool host has no tool exported as "${exportName}" from ${file}.`,
    });
    return;
  }
  const controller = new AbortController();
  running.set(requestId, controller);
  try {
    // Parse with the tool's own zod schema too: defaults and transforms behave as in-process.
    const parsed = target.input.safeParse(input);
    if (!parsed.success) throw new Error(`input does not match the tool's schema: ${parsed.error.message}`);
    const output = await target.handler(parsed.data, { signal: controller.signal });
    // Fail at once: sent as is, neither would make a reply the parent can read, and the call would wait for its time limit.
    if (output === undefined) throw new Error("it returned nothing (undefined): is a `return` missing?");
    const tooBig = checkJsonLimits(output, VALUE_LIMITS);
    if (tooBig) throw new Error(`it returned output that is refused: ${describeViolation(tooBig)}`);
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
  return formatIssues(error.issues);
}

/** Never throws: a tool may throw an object whose `toString` or `message` getter throws. */
function errorText(error: unknown): string {
  try {
    if (error instanceof Error) return String(error.message) || error.name;
    return typeof error === "string" ? error : String(error);
  } catch {
    return `it threw ${error === null ? "null" : typeof error === "object" ? "an object" : `a ${typeof error}`} that cannot be described`;
  }
}

/** The stack frames in the bundle (named by path or URL), innermost first; the parent maps them to source positions. */
function framesIn(error: unknown, bundleName: string): { line: number; column: number }[] {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frames: { line: number; column: number }[] = [];
  for (let at = stack.indexOf(`${bundleName}:`); at >= 0; at = stack.indexOf(`${bundleName}:`, at + 1)) {
    const match = /^:(\d+):(\d+)/.exec(stack.slice(at + bundleName.length));
    if (match) frames.push({ line: Number(match[1]), column: Number(match[2]) });
  }
  return frames;
}
