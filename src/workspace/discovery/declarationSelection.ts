import type { JsonSchema } from "../../engine/jsonSchema";
import type { LoadReport } from "../toolHost/protocol";
import type { BundleOutcome, DeclarationBundler } from "./declarationBundler";
import type { IndexRecord } from "./declarationIndex";
import { schemaProblem } from "./schemaProblem";

/** Names whose declarations a partial discovery must load. */
export interface DeclarationSelection {
  /** "all": every declared function (verifying them all). */
  functions: readonly string[] | "all";
  tools: readonly string[];
}

/** What a declaration file declares (`tool:x`, `function:y`), as the bundle cache knows, and whether it reports a problem. */
export interface DeclarationSummary {
  names: string[];
  problem: boolean;
}

/**
 * The bundles a partial discovery loads: those the bundle cache knows nothing about (they may now
 * declare a needed name), those whose cached load report declares a selected name, and those that
 * would report a problem (a bundle warning, a load problem, a schema that is not an object, a name
 * another file declares too). The last ones keep a partial discovery's diagnostics those of a full
 * one: `verify` fails on a declaration problem however much of the folder it loaded.
 *
 * What the cache knows comes from the bundler's declaration index where it holds, else from the
 * files' entries: only the bundles selected are read then, not the whole folder's.
 */
export async function bundleSelected(
  bundler: DeclarationBundler,
  files: readonly string[],
  only: DeclarationSelection,
): Promise<BundleOutcome[]> {
  const index = bundler.declarationIndex;
  const check = index?.check(files);
  const indexed = check?.valid ?? new Map<string, IndexRecord>();
  const looked = await bundler.bundleAll(files.filter((file) => !indexed.has(file)));
  const summaries = new Map<string, DeclarationSummary | undefined>(indexed);
  for (const outcome of looked) summaries.set(outcome.file, summaryOf(outcome));
  const chosen = selectFiles(summaries, only);
  // The index checked their inputs just now: their entries need not be checked again.
  const more = await bundler.bundleAll(
    [...indexed.keys()].filter((file) => chosen.has(file)),
    indexed,
  );
  const outcomes = [...looked, ...more];
  if (index) {
    const records = new Map<string, IndexRecord>();
    for (const outcome of outcomes) {
      const summary = summaryOf(outcome);
      if (summary && outcome.cacheDigests) records.set(outcome.file, { ...outcome.cacheDigests, ...summary });
    }
    // Every entry read above was checked after the index's check began.
    index.update(files, records, check?.checkedAt);
  }
  const byFile = new Map(outcomes.map((o) => [o.file, o]));
  return files.filter((file) => chosen.has(file)).map((file) => byFile.get(file)!);
}

function selectFiles(
  summaries: ReadonlyMap<string, DeclarationSummary | undefined>,
  only: DeclarationSelection,
): Set<string> {
  const declaringFiles = new Map<string, number>();
  for (const summary of summaries.values())
    for (const key of new Set(summary?.names ?? [])) declaringFiles.set(key, (declaringFiles.get(key) ?? 0) + 1);
  const wanted = (key: string): boolean => {
    if (key.startsWith("tool:")) return only.tools.includes(key.slice("tool:".length));
    return only.functions === "all" || only.functions.includes(key.slice("function:".length));
  };
  const chosen = new Set<string>();
  for (const [file, summary] of summaries) {
    if (
      !summary ||
      summary.problem ||
      summary.names.some((key) => (declaringFiles.get(key) ?? 0) > 1) ||
      summary.names.some(wanted)
    )
      chosen.add(file);
  }
  return chosen;
}

function summaryOf({ cachedReport: report, diagnostics }: BundleOutcome): DeclarationSummary | undefined {
  if (!report) return undefined;
  return { names: declaredNames(report), problem: diagnostics.length > 0 || reportsProblem(report) };
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
