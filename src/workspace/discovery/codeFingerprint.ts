import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { describeUnknown } from "../../engine/errors";
import { codeFingerprint, moduleHash, type ToolCode } from "../../engine/tools/toolCode";
import { runtimeFiles } from "../packagePaths";
import { packageOf } from "./codeInputs";
import type { SourceTexts } from "./sourceTexts";

/**
 * The code of a declaration file's tools (see ToolCode), from what esbuild's metafile says the
 * bundle was built from: the workspace modules of its import closure are hashed by content, the
 * packages (anything under `node_modules`, and zod, the workspace's own or the one shipped with
 * llm-function) count by their version.
 * Discovery calls it for every bundle it builds; a bundle cache must store its result with the bundle.
 */
export class CodeFingerprinter {
  /** Package versions by package folder: they do not change while a workspace is open, often enough. */
  private readonly versions = new Map<string, Promise<string>>();

  constructor(
    private readonly folder: string,
    /** The zod shipped with llm-function: the same code as the zod bundled into this process. */
    private readonly shippedZod: string = runtimeFiles().zodModule,
  ) {}

  /**
   * @param inputs every source file the bundle read (absolute paths, from the metafile)
   * @param runtimeModules the `file:` URLs of the shared modules it imports (zod and the SDK)
   * @param sources where the workspace modules are read (once per discovery)
   */
  async codeOf(
    declarationFile: string,
    inputs: readonly string[],
    runtimeModules: readonly string[],
    sources: SourceTexts,
  ): Promise<ToolCode> {
    const modules: Record<string, string> = {};
    const packages: Record<string, string> = {};
    const paths = [
      ...inputs,
      ...runtimeModules.filter((url) => url.startsWith("file:")).map((url) => fileURLToPath(url)),
    ];
    await Promise.all(
      paths.map(async (path) => {
        const pkg = packageOf(path);
        if (pkg) packages[pkg.name] = await this.versionOf(pkg.folder);
        else if (path === this.shippedZod) packages.zod = SHIPPED_ZOD_VERSION;
        // Runtime modules outside node_modules are the copies shipped with llm-function, not the workspace's code.
        else if (inputs.includes(path)) modules[this.relative(path)] = hashOf(sources.text(path));
      }),
    );
    const sortedModules = sorted(modules);
    const sortedPackages = sorted(packages);
    return {
      fingerprint: codeFingerprint(sortedModules, sortedPackages),
      file: this.relative(declarationFile),
      modules: sortedModules,
      packages: sortedPackages,
    };
  }

  private relative(path: string): string {
    return relative(this.folder, path).split(sep).join("/");
  }

  private versionOf(folder: string): Promise<string> {
    let version = this.versions.get(folder);
    if (!version) {
      // A package.json that cannot be read or parsed counts as unversioned, never as a failure.
      version = readFile(join(folder, "package.json"), "utf8")
        .then((text) => {
          const parsed = JSON.parse(text) as { version?: unknown } | null;
          return typeof parsed?.version === "string" ? parsed.version : "unversioned";
        })
        .catch(() => "unversioned");
      this.versions.set(folder, version);
    }
    return version;
  }
}

const SHIPPED_ZOD_VERSION = `${z.core.version.major}.${z.core.version.minor}.${z.core.version.patch}`;

/** A module that cannot be read counts as changed (its hash says why), never as unchanged. */
function hashOf(text: string | Error): string {
  return typeof text === "string" ? moduleHash(text) : `unreadable: ${describeUnknown(text)}`;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
