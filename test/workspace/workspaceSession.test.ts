import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { EarlyHost } from "../../src/workspace/toolHost/hostProcess";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { isRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";
import { settingsFor, stringTool, workspaceWith } from "./workspaceFixtures";

before(requireBuilt);

describe("workspace session", () => {
  it("starts no tool host for a folder without declaration files", async () => {
    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "src/plain.ts": "export const x = 1;\n" })),
    );
    try {
      assert.deepEqual(session.discovery.files, []);
      assert.equal(session.toolHostPid, undefined);
    } finally {
      await session.dispose();
    }
  });

  it("takes over a tool host started ahead with its own options, and stops one started with others", async () => {
    const folder = await workspaceWith({ "shout.llm.ts": stringTool("shout") });
    const alike = EarlyHost.start(256);
    assert.ok(alike?.pid, "the host is built");
    const session = await WorkspaceSession.open(settingsFor(folder, { hostMemoryMb: 256 }), { earlyHost: alike });
    try {
      assert.equal(session.toolHostPid, alike.pid);
      alike.discard();
      const shout = session.runtime.tools.byName("shout");
      assert.ok(shout);
      assert.deepEqual(await shout.invoke({ text: "hi" }, {}), { text: "HI" });
    } finally {
      await session.dispose();
    }

    const other = EarlyHost.start(320);
    assert.ok(other?.pid, "the host is built");
    const otherPid = other.pid;
    const second = await WorkspaceSession.open(settingsFor(folder, { hostMemoryMb: 256 }), { earlyHost: other });
    try {
      assert.notEqual(second.toolHostPid, otherPid);
      await waitFor("the host started with other options to end", () => !isRunning(otherPid));
    } finally {
      await second.dispose();
    }
  });

  it("loads a slow declaration file although the tool timeout is small", async () => {
    // Busy for longer than a tool call may take, as a cold import of a large dependency can be.
    const slowLoad = `const until = Date.now() + 600;\nwhile (Date.now() < until) {}\n${stringTool("shout")}`;
    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "slow.llm.ts": slowLoad }), { toolTimeoutMs: 100 }),
    );
    try {
      assert.deepEqual(session.discovery.diagnostics, []);
      assert.deepEqual(
        session.discovery.tools.map((t) => t.name),
        ["shout"],
      );
      assert.notEqual(session.toolHostPid, undefined);
    } finally {
      await session.dispose();
    }
  });
});
