// `npm run bench`: prints one JSON object of figures (ratios, counts), never pass/fail.
import { cliBenchmarks } from "./cliBench";
import { engineBenchmarks } from "./engineBench";
import { extensionBenchmarks } from "./extensionBench";
import { fuzzBenchmarks } from "./fuzzBench";
import { promptBenchmarks } from "./promptBench";
import { workspaceBenchmarks } from "./workspaceBench";
import { builtHostSnapshot } from "../test/support/hostSnapshot";
import { BENCH_HOST_MEMORY_MB } from "./benchStats";

async function main(): Promise<void> {
  // The sessions measured start their hosts as users' do after the first: from the startup snapshot,
  // built for their memory limit (a blob for another limit would not be used, and the first session
  // would build one in the background while the others are measured).
  await builtHostSnapshot(BENCH_HOST_MEMORY_MB);
  const figures = {
    ...(await engineBenchmarks()),
    ...(await promptBenchmarks()),
    ...(await workspaceBenchmarks()),
    ...(await cliBenchmarks()),
    ...(await extensionBenchmarks()),
    ...(await fuzzBenchmarks()),
  };
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
