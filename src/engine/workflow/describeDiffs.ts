import type { OutputDiff } from "./types";

// Free of zod and the runner, so that the extension's activation bundle can word diffs too.

/** `highC: expected 14, got 15` for each differing field. */
export function describeDiffs(diffs: readonly OutputDiff[]): string {
  return diffs
    .map((d) => {
      const path = d.path || "(output)";
      if (d.kind === "missing_actual") return `${path}: expected ${JSON.stringify(d.expected)}, missing`;
      if (d.kind === "missing_expected") return `${path}: not expected, got ${JSON.stringify(d.actual)}`;
      return `${path}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`;
    })
    .join("; ");
}
