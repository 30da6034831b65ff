import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, truncate, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PlanningLock } from "../../../src/engine/storage/planningLock";
import { tempFolder } from "../../support/tempFolders";

describe("planning lock", () => {
  it("a second holder waits until the first releases, and knows it waited", async () => {
    const storage = await tempFolder("llmfn-lock-");
    const lock = new PlanningLock(storage, { pollMs: 10 });
    const first = await lock.acquire("f", "f");
    assert.ok(first.ok);
    assert.equal(first.value.waited, false);
    const waits: (number | undefined)[] = [];
    let sawWait = () => {};
    const waiting = new Promise<void>((resolve) => (sawWait = resolve));
    const second = lock.acquire("f", "f", {
      onWait: (owner) => {
        waits.push(owner?.pid);
        sawWait();
      },
    });
    await waiting;
    assert.deepEqual(waits, [process.pid]);
    await first.value.release();
    const got = await second;
    assert.ok(got.ok);
    assert.equal(got.value.waited, true);
    await got.value.release();
  });

  it("a lock nobody touches for staleMs is taken over, even with a live pid (another machine)", async () => {
    const storage = await tempFolder("llmfn-lock-");
    const lock = new PlanningLock(storage, { pollMs: 10, staleMs: 1_000 });
    const file = join(lock.directory, "f.lock");
    const first = await lock.acquire("f", "f");
    assert.ok(first.ok);
    await writeFile(
      file,
      JSON.stringify({ pid: 1, hostname: `not-${hostname()}`, token: "remote", functionName: "f", startedAt: "" }),
    );
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    const taken = await lock.acquire("f", "f");
    assert.ok(taken.ok);
    // The first owner's release must not remove the lock that is someone else's now.
    await first.value.release();
    assert.notEqual(JSON.parse(await readFile(file, "utf8")).token, "remote");
    await taken.value.release();
  });

  it("the owner's heartbeat keeps its lock fresh while it plans", async () => {
    const storage = await tempFolder("llmfn-lock-");
    const owner = new PlanningLock(storage, { heartbeatMs: 20 });
    const held = await owner.acquire("f", "f");
    assert.ok(held.ok);
    const file = join(owner.directory, "f.lock");
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiter = new PlanningLock(storage, { pollMs: 10, staleMs: 5_000 });
    const controller = new AbortController();
    const waiting = waiter.acquire("f", "f", { signal: controller.signal, onWait: () => controller.abort() });
    const result = await waiting;
    assert.equal(result.ok, false);
    assert.equal(result.ok ? "" : result.error.kind, "CANCELLED");
    await held.value.release();
  });

  it("an entry that is no lock file (a FIFO, a folder, an oversized file) is refused at once, never opened or waited on", {
    timeout: 30_000,
  }, async () => {
    const storage = await tempFolder("llmfn-lock-");
    const lock = new PlanningLock(storage, { pollMs: 10, staleMs: 1_000 });
    await mkdir(lock.directory, { recursive: true });
    execFileSync("mkfifo", [join(lock.directory, "fifo.lock")]);
    await mkdir(join(lock.directory, "folder.lock"));
    await writeFile(join(lock.directory, "huge.lock"), "");
    await truncate(join(lock.directory, "huge.lock"), 1024 * 1024);
    for (const [key, reason] of [
      ["fifo", /not a regular file/],
      ["folder", /not a regular file/],
      ["huge", /1048576 bytes; at most \d+ are read/],
    ] as const) {
      const result = await lock.acquire(key, key);
      assert.ok(!result.ok, key);
      assert.equal(result.error.kind, "STORAGE");
      assert.ok(result.error.message.includes(join(lock.directory, `${key}.lock`)), result.error.message);
      assert.match(result.error.message, reason);
    }
  });
});
