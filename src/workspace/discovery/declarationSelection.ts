import type { JsonSchema } from "../../engine/jsonSchema";
import type { LoadReport } from "../toolHost/protocol";
import type { BundleOutcome } from "./declarationBundler";
import { schemaProblem } from "./schemaProblem";

/** Names whose declarations a partial discovery must load. */
export interface DeclarationSelection {
  /** "all": every declared function (verifying them all). */
  functions: readonly string[] | "all";
  tools: readonly string[];
}

/**
 * The bundles a partial discovery loads: those the bundle cache knows nothing about (they may now
 * declare a needed name), those whose cached load report declares a selected name, and those that
 * would report a problem (a bundle warning, a load problem, a schema that is not an object, a name
 * another file declares too). The last ones keep a partial discovery's diagnostics those of a full
 * one: `verify` fails on a declaration problem however much of the folder it loaded.
 */
export function selectBundles(built: readonly BundleOutcome[], only: DeclarationSelection): BundleOutcome[] {
  const declaringFiles = new Map<string, number>();
  for (const { cachedReport } of built)
    for (const key of cachedReport ? new Set(declaredNames(cachedReport)) : [])
      declaringFiles.set(key, (declaringFiles.get(key) ?? 0) + 1);
  const clashes = (report: LoadReport) => declaredNames(report).some((key) => (declaringFiles.get(key) ?? 0) > 1);
  return built.filter(({ cachedReport: report, diagnostics }) => {
    if (!report || diagnostics.length > 0 || reportsProblem(report) || clashes(report)) return true;
    const wantsFunction = (name: string) => only.functions === "all" || only.functions.includes(name);
    return report.functions.some((f) => wantsFunction(f.name)) || report.tools.some((t) => only.tools.includes(t.name));
  });
}

function declaredNames(report: LoadReport): string[] {
  return [...report.tools.map((t) => `tool:${t.name}`), ...report.functions.map((f) => `function:${f.name}`)];
}

function reportsProblem(report: LoadReport): boolean {
  return (
    report.problems.length > 0 ||
    [...report.tools, ...report.functions].some(
      (d) => schemaProblem(d.name, d.inputSchema as JsonSchema, d.outputSchema as JsonSchema) !== undefined,
    )
  );
}
