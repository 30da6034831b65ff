// Small statistics shared by the benchmarks.

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The tool host memory limit every benchmark session uses; bench.ts builds the startup snapshot for it. */
export const BENCH_HOST_MEMORY_MB = 512;
