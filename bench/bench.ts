// `npm run bench`: prints one JSON object of figures (ratios, counts), never pass/fail.
import { cliBenchmarks } from "./cliBench";
import { engineBenchmarks } from "./engineBench";
import { extensionBenchmarks } from "./extensionBench";
import { fuzzBenchmarks } from "./fuzzBench";
import { promptBenchmarks } from "./promptBench";
import { workspaceBenchmarks } from "./workspaceBench";
import { builtHostSnapshot } from "../test/support/hostSnapshot";
import { settingsFor } from "../test/workspace/workspaceFixtures";

async function main(): Promise<void> {
  // The sessions measured start their hosts as users' do after the first: from the startup snapshot.
  await builtHostSnapshot(settingsFor("").hostMemoryMb);
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
