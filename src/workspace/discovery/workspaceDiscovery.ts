import { statSync } from "node:fs";
import type { JsonSchema, JsonValue } from "../../engine/jsonSchema";
import type { Logger } from "../../engine/logger";
import type { HostedToolAddress } from "../toolHost/hostedTool";
import type { LoadItem, LoadProblem, LoadReport } from "../toolHost/protocol";
import type { ToolHostClient } from "../toolHost/toolHostClient";
import { isWorkspaceError } from "../workspaceErrors";
import type { DeclarationDiagnostic, DiscoveryResult, SourceLocation } from "../workspaceTypes";
import { positionInSource } from "./bundlePositions";
import type { DeclarationBundler } from "./declarationBundler";
import { locateExport } from "./exportLocations";
import { findDeclarationFiles } from "./findDeclarationFiles";
import { assembleDiscovery } from "./assembleDiscovery";
import { CodeFingerprinter } from "./codeFingerprint";
import { SourceTexts } from "./sourceTexts";
import type { FileState } from "./fileState";
import { bundleSelected, type DeclarationSelection } from "./declarationSelection";
import { schemaProblem } from "./schemaProblem";

export interface DiscoveryOutcome {
  result: DiscoveryResult;
  /** Where each usable tool runs, by tool name. */
  addresses: Map<string, HostedToolAddress>;
  /** Files bundled (or taken from the bundle cache) and loaded in this run (the rest were unchanged, or not selected). */
  rebuilt: string[];
  /** False when some declaration files were left unloaded, not being selected (see WorkspaceDiscovery.discover). */
  complete: boolean;
}

export interface DiscoveryScope {
  folder: string;
  include: readonly string[];
  exclude: readonly string[];
}

/**
 * Finds, bundles and loads the declaration files of a folder, incrementally: a file is only
 * rebuilt when one of its inputs changed (or was named as changed).
 */
export class WorkspaceDiscovery {
  private readonly states = new Map<string, FileState>();
  private fingerprinter: CodeFingerprinter | undefined;

  constructor(
    private readonly bundler: DeclarationBundler,
    private readonly host: ToolHostClient,
    private readonly logger: Logger,
  ) {}

  /**
   * With `only`, loads just the files that declare the named functions and tools, as far as the
   * persistent bundle cache knows what each file declares (see bundleSelected). The outcome then
   * holds those files' declarations only.
   */
  async discover(
    scope: DiscoveryScope,
    changedFiles: readonly string[] = [],
    signal?: AbortSignal,
    only?: DeclarationSelection,
  ): Promise<DiscoveryOutcome> {
    const files = await findDeclarationFiles(scope.folder, scope.include, scope.exclude);
    signal?.throwIfAborted();
    const changed = new Set(changedFiles);
    for (const file of [...this.states.keys()]) {
      if (!files.includes(file)) {
        this.states.delete(file);
        this.host.unload(file);
      }
    }
    const rebuilt = files.filter((file) => this.needsRebuild(file, changed));
    if (rebuilt.length > 0) this.host.warmUp();
    const bundles = only ? await bundleSelected(this.bundler, rebuilt, only) : await this.bundler.bundleAll(rebuilt);
    signal?.throwIfAborted();

    const toLoad: LoadRequest[] = [];
    const fingerprinter = (this.fingerprinter ??= new CodeFingerprinter(scope.folder));
    const sources = new SourceTexts();
    const preparing = bundles.map((bundle) => {
      let loading: LoadRequest | undefined;
      const previous = this.states.get(bundle.file);
      const state: FileState = {
        file: bundle.file,
        inputs: new Map(),
        bundleDiagnostics: bundle.diagnostics,
        loadDiagnostics: [],
        tools: [],
        functions: [],
        ...(bundle.bundle ? { bundle: bundle.bundle } : {}),
        ...(bundle.sourceMap ? { sourceMap: bundle.sourceMap } : {}),
      };
      const unchanged = bundle.bundle !== undefined && previous?.bundle?.bundlePath === bundle.bundle.bundlePath;
      if (unchanged) {
        // Same output as before: keep what the host reported (a comment edit still changes the code record).
        state.functions = previous.functions;
        state.loadDiagnostics = previous.loadDiagnostics;
      } else if (bundle.bundle) {
        loading = {
          state,
          bundle: bundle.bundle,
          readSource: () => sources.text(bundle.file),
          cachedReport: bundle.cachedReport,
        };
        toLoad.push(loading);
      } else {
        this.host.unload(bundle.file);
      }
      this.states.set(bundle.file, state);
      return async () => {
        state.inputs = signatures(bundle.inputs);
        const code = bundle.bundle
          ? await fingerprinter.codeOf(bundle.file, bundle.inputs, bundle.bundle.runtimeModules, sources)
          : undefined;
        if (code) state.code = code;
        if (unchanged) state.tools = code ? previous.tools.map((tool) => ({ ...tool, code })) : previous.tools;
      };
    });
    // Fingerprints and signatures are taken once the load request is written (only the reports
    // need them): reading and hashing meanwhile would hold up the writing of a large request.
    const prepared = startable(() => Promise.all(preparing.map((prepare) => prepare())).then(() => undefined));
    await this.loadAll(toLoad, prepared);
    prepared.start();
    await prepared.done;
    this.bundler.writeCache();

    const ordered = files.map((f) => this.states.get(f)).filter((s): s is FileState => s !== undefined);
    return {
      ...assembleDiscovery(ordered, files, scope.folder),
      rebuilt: bundles.map((b) => b.file),
      complete: bundles.length === rebuilt.length,
    };
  }

  private needsRebuild(file: string, changed: Set<string>): boolean {
    const state = this.states.get(file);
    if (!state) return true;
    for (const [input, signature] of state.inputs) {
      if (changed.has(input)) return true;
      if (signatureOf(input) !== signature) return true;
    }
    return false;
  }

  /**
   * Loads every bundle in one request. When that fails (a file took the host down or hung), the
   * files are loaded one by one, so only the culprit gets a diagnostic. Reports are applied once
   * the files' code fingerprints are taken (`prepared`, started when the request is written, and
   * never rejected).
   */
  private async loadAll(items: LoadRequest[], prepared: Startable<void>): Promise<void> {
    if (items.length === 0) return;
    try {
      const reports = await this.host.load(
        items.map((item) => item.bundle),
        prepared.start,
      );
      prepared.start();
      await prepared.done;
      for (const [index, item] of items.entries()) this.applyReport(item, reports[index]!);
      return;
    } catch (error) {
      prepared.start();
      await prepared.done;
      const [only] = items;
      if (items.length === 1 && only && !isWorkspaceError(error, "TOOL_HOST_EXITED")) {
        this.host.unload(only.state.file);
        only.state.loadDiagnostics.push(loadDiagnostic(only.state.file, (error as Error).message));
        return;
      }
    }
    for (const item of items) {
      try {
        const [report] = await this.host.load([item.bundle]);
        if (report) this.applyReport(item, report);
      } catch (error) {
        this.host.unload(item.state.file);
        const message = isWorkspaceError(error, "TOOL_HOST_EXITED")
          ? `Loading this file stopped the tool host: ${(error as Error).message}`
          : (error as Error).message;
        item.state.loadDiagnostics.push(loadDiagnostic(item.state.file, message));
      }
    }
  }

  private applyReport({ state, readSource, bundle, cachedReport }: LoadRequest, report: LoadReport): void {
    if (!cachedReport || JSON.stringify(cachedReport) !== JSON.stringify(report))
      this.bundler.rememberReport(bundle, report);
    const read = readSource();
    if (read instanceof Error) this.logger.warn(`Cannot read ${state.file} to locate its exports: ${read.message}`);
    const source = typeof read === "string" ? read : "";
    const where = (exportName: string): SourceLocation => ({
      file: state.file,
      ...(locateExport(source, exportName) ?? { line: 1, column: 1 }),
    });

    for (const problem of report.problems) {
      const at = problem.exportName
        ? where(problem.exportName)
        : { file: state.file, ...this.problemPosition(state, problem) };
      state.loadDiagnostics.push({ ...loadDiagnostic(state.file, problem.message), location: at });
    }
    for (const tool of report.tools) {
      const location = where(tool.exportName);
      const problem = schemaProblem(
        `Tool "${tool.name}"`,
        tool.inputSchema as JsonSchema,
        tool.outputSchema as JsonSchema,
      );
      if (problem) {
        state.loadDiagnostics.push({ ...loadDiagnostic(state.file, problem), location });
        continue;
      }
      state.tools.push({
        id: tool.id,
        handlerHash: tool.handlerHash,
        name: tool.name,
        exportName: tool.exportName,
        description: tool.description,
        inputSchema: tool.inputSchema as JsonSchema,
        outputSchema: tool.outputSchema as JsonSchema,
        tags: tool.tags,
        metadata: tool.metadata,
        location,
        file: state.file,
        ...(state.code ? { code: state.code } : {}),
      });
    }
    for (const fn of report.functions) {
      const location = where(fn.exportName);
      const problem = schemaProblem(
        `LLM function "${fn.name}"`,
        fn.inputSchema as JsonSchema,
        fn.outputSchema as JsonSchema,
      );
      if (problem) {
        state.loadDiagnostics.push({ ...loadDiagnostic(state.file, problem), location });
        continue;
      }
      state.functions.push({
        name: fn.name,
        exportName: fn.exportName,
        description: fn.description,
        inputSchema: fn.inputSchema as JsonSchema,
        outputSchema: fn.outputSchema as JsonSchema,
        tests: fn.tests.map((t) => ({
          ...(t.name === undefined ? {} : { name: t.name }),
          input: t.input as JsonValue,
          ...(t.expected === undefined ? {} : { expected: t.expected as JsonValue }),
        })),
        ...(fn.compare ? { compare: fn.compare } : {}),
        ...(fn.expectInfeasible ? { expectInfeasible: true } : {}),
        location,
      });
    }
  }

  private problemPosition(state: FileState, problem: LoadProblem): { line: number; column: number } {
    const mapped =
      state.sourceMap && problem.bundleFrames
        ? positionInSource(state.sourceMap, problem.bundleFrames, state.file)
        : undefined;
    return mapped ?? { line: 1, column: 1 };
  }
}

/** Work begun on demand: `start` (idempotent) begins it, `done` settles with its outcome. */
interface Startable<T> {
  start: () => void;
  done: Promise<T>;
}

function startable<T>(work: () => Promise<T>): Startable<T> {
  let start: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    start = resolve;
  }).then(work);
  return { start, done };
}

interface LoadRequest {
  state: FileState;
  bundle: LoadItem;
  /** The declaration's source text (or why it could not be read), to locate its exports; read with the fingerprints. */
  readSource: () => string | Error;
  /** What loading the same bundle reported in an earlier process, if the bundle cache knows. */
  cachedReport: LoadReport | undefined;
}

function loadDiagnostic(file: string, message: string): DeclarationDiagnostic {
  return { severity: "error", message, location: { file, line: 1, column: 1 } };
}

/** Size and modification time, taken synchronously for the reason SourceTexts reads synchronously. */
function signatureOf(file: string): string {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    return info ? `${info.size}:${info.mtimeMs}` : "missing";
  } catch {
    return "missing";
  }
}

function signatures(files: string[]): Map<string, string> {
  return new Map(files.map((file) => [file, signatureOf(file)]));
}
