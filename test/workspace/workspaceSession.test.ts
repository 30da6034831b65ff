import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
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
