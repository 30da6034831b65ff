// `npm run bench`: prints one JSON object of figures (ratios, counts), never pass/fail.
import { cliBenchmarks } from "./cliBench";
import { engineBenchmarks } from "./engineBench";
import { extensionBenchmarks } from "./extensionBench";
import { fuzzBenchmarks } from "./fuzzBench";
import { promptBenchmarks } from "./promptBench";
import { workspaceBenchmarks } from "./workspaceBench";

async function main(): Promise<void> {
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
