import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { before, describe, it } from "node:test";
import { hostProcessOptions, startHostProcess, type StartedHost } from "../../src/workspace/toolHost/hostProcess";
import { failureNoteOf, hostExecArgv } from "../../src/workspace/toolHost/hostSnapshot";
import { buildHostSnapshot } from "../../src/workspace/toolHost/hostSnapshotBuilder";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { tempFolder } from "../support/tempFolders";
import { waitFor } from "../support/waitFor";
import { settingsFor, stringTool, workspaceWith } from "./workspaceFixtures";

before(requireBuilt);

const MEMORY_MB = 192;

function fromSnapshot(host: StartedHost): boolean {
  return host.child.spawnargs.includes("--snapshot-blob");
}

async function stopped(host: StartedHost): Promise<void> {
  host.child.kill("SIGKILL");
  if (host.child.exitCode === null && host.child.signalCode === null)
    await new Promise((resolve) => host.child.once("exit", resolve));
}

/** The builder leaves only the blob: no lock, no temporary file. */
async function builderDone(blob: string): Promise<void> {
  await waitFor("the background snapshot build", () => existsSync(blob) && !existsSync(`${blob}.lock`));
  assert.deepEqual(
    (await readdir(dirname(blob))).filter((name) => name.endsWith(".tmp")),
    [],
  );
}

describe("tool host startup snapshot", () => {
  before(async () => {
    process.env.LLMFN_CACHE_DIR = await tempFolder("llmfn-snapshot-cache-");
    delete process.env.LLMFN_HOST_SNAPSHOT;
  });

  it("is built in the background by the first host's start, and the next hosts start from it and run tools", async () => {
    const { snapshot } = hostProcessOptions(MEMORY_MB);
    assert.ok(snapshot);
    const first = startHostProcess(hostProcessOptions(MEMORY_MB));
    await first.ready;
    assert.equal(fromSnapshot(first), false);
    await stopped(first);
    await builderDone(snapshot.blob);

    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "tools.llm.ts": stringTool("shout") }), { hostMemoryMb: MEMORY_MB }),
    );
    try {
      const shout = session.runtime.tools.byName("shout");
      assert.ok(shout);
      assert.deepEqual(await shout.invoke({ text: "hi" }, {}), { text: "HI" });
    } finally {
      await session.dispose();
    }
    const next = startHostProcess(hostProcessOptions(MEMORY_MB));
    await next.ready;
    assert.equal(fromSnapshot(next), true);
    await stopped(next);
  });

  it("is removed when node cannot load it, with an error naming it; the next host starts without it and it is rebuilt", async () => {
    const options = hostProcessOptions(MEMORY_MB);
    const { snapshot } = options;
    assert.ok(snapshot);
    if (!existsSync(snapshot.blob))
      await buildHostSnapshot({
        ...snapshot,
        execArgv: hostExecArgv(MEMORY_MB),
        hostArgs: [options.script, ...options.runtimeModules],
      });
    await writeFile(snapshot.blob, "not a snapshot");
    const damaged = startHostProcess(hostProcessOptions(MEMORY_MB));
    assert.equal(fromSnapshot(damaged), true);
    await assert.rejects(damaged.ready, /from its startup snapshot .*toolHost-.*\.blob, now removed/);
    assert.equal(existsSync(snapshot.blob), false);

    const next = startHostProcess(hostProcessOptions(MEMORY_MB));
    await next.ready;
    assert.equal(fromSnapshot(next), false);
    await stopped(next);
    await builderDone(snapshot.blob);
  });

  it("that cannot be built leaves a note saying why, and no blob", async () => {
    const { snapshot } = hostProcessOptions(MEMORY_MB + 1);
    assert.ok(snapshot);
    const folder = await tempFolder("llmfn-bad-snapshot-");
    const source = `${folder}/broken.js`;
    await writeFile(source, "throw new Error('no snapshot from me');");
    const outcome = await buildHostSnapshot({
      ...snapshot,
      source,
      execArgv: hostExecArgv(MEMORY_MB + 1),
      hostArgs: [],
    });
    assert.equal(outcome.kind, "failed");
    assert.match(
      await readFile(failureNoteOf(snapshot.blob), "utf8"),
      /building the snapshot failed: .*no snapshot from me/s,
    );
    assert.equal(existsSync(snapshot.blob), false);
  });
});
