import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { descendantsOf, killQuietly } from "../../src/workspace/toolHost/processTree";
import { waitFor } from "../support/waitFor";

describe("the process tree", { skip: process.platform !== "linux" && "read from /proc" }, () => {
  it("finds children and grandchildren, and none once they are gone", async () => {
    const shell = spawn("sh", ["-c", "sleep 60 & sleep 60 & wait"], { stdio: "ignore" });
    const pid = shell.pid!;
    try {
      await waitFor("the shell's two sleeps", () => descendantsOf(pid).length === 2);
      const all = descendantsOf(process.pid);
      assert.ok(all.includes(pid), `${pid} among ${all.join(", ")}`);
      for (const sleeper of descendantsOf(pid)) assert.ok(all.includes(sleeper));
    } finally {
      for (const sleeper of descendantsOf(pid)) killQuietly(sleeper);
      killQuietly(pid);
    }
    await new Promise((resolve) => shell.once("exit", resolve));
    assert.deepEqual(descendantsOf(pid), []);
  });
});
