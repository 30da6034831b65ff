import type { LlmBackendConfig, RuntimeConfigInput } from "../engine/config";
import type { FunctionSpec, TestCase } from "../engine/functionSpec";
import type { JsonSchema } from "../engine/jsonSchema";
import type { Logger } from "../engine/logger";
import type { ToolCode } from "../engine/tools/toolCode";

/** Where a declaration lives, 1-based line and column as editors show them. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface DeclarationDiagnostic {
  severity: "error" | "warning";
  message: string;
  location: SourceLocation;
  /** Duplicates name the other place too. */
  related?: SourceLocation[];
}

export interface DiscoveredTool {
  id: string;
  name: string;
  exportName: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  tags: string[];
  metadata: Record<string, unknown>;
  location: SourceLocation;
  /** The code its declaration file's import closure holds (absent when that file did not bundle). */
  code?: ToolCode;
}

export interface DiscoveredFunction {
  name: string;
  exportName: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  tests: TestCase[];
  compare?: FunctionSpec["compare"];
  /** Declared impossible with the tools on purpose (see `llmfn eval`). */
  expectInfeasible?: boolean;
  location: SourceLocation;
}

export interface DiscoveryResult {
  tools: DiscoveredTool[];
  functions: DiscoveredFunction[];
  diagnostics: DeclarationDiagnostic[];
  /** Declaration files found (absolute paths). */
  files: string[];
}

export interface WorkspaceSettings {
  /** Workspace folder (absolute). */
  folder: string;
  include: string[];
  exclude: string[];
  /** Relative to the folder unless absolute; defaults to `<folder>/.llm-function`; workflows go to `<storage>/workflows/`. */
  storagePath?: string;
  llm: LlmBackendConfig;
  /** maxRetry, resetLoops, checkVotes, ... (storagePath and llm are taken from above). */
  runtime?: Omit<Partial<RuntimeConfigInput>, "llm" | "storagePath">;
  toolTimeoutMs: number;
  hostMemoryMb: number;
  logger?: Logger;
  /**
   * Where declaration bundles are kept between processes (see BundleCache); false keeps them for
   * the session only. Defaults to the OS cache folder, or LLMFN_CACHE_DIR ("off" turns it off).
   */
  bundleCacheFolder?: string | false;
}
