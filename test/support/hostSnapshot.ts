import assert from "node:assert/strict";
import { hostProcessOptions } from "../../src/workspace/toolHost/hostProcess";
import { hostExecArgv } from "../../src/workspace/toolHost/hostSnapshot";
import { buildHostSnapshot } from "../../src/workspace/toolHost/hostSnapshotBuilder";

/**
 * Turns the tool host's startup snapshot on for this process (tests and benchmarks), in its cache
 * folder, and builds it now, so that every host started after this starts from it, as users'
 * hosts do after their first. Returns the blob's path.
 */
export async function builtHostSnapshot(memoryMb: number): Promise<string> {
  delete process.env.LLMFN_HOST_SNAPSHOT;
  const options = hostProcessOptions(memoryMb);
  assert.ok(options.snapshot, "the host snapshot is available here");
  const outcome = await buildHostSnapshot({
    ...options.snapshot,
    execArgv: hostExecArgv(memoryMb),
    hostArgs: [options.script, ...options.runtimeModules],
  });
  assert.deepEqual(outcome, { kind: "built" });
  return options.snapshot.blob;
}
