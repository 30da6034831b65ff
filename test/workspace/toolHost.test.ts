import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Tool } from "../../src/engine/tools/tool";
import { hostProcessOptions } from "../../src/workspace/toolHost/hostProcess";
import { ToolHostClient } from "../../src/workspace/toolHost/toolHostClient";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { builtHostSnapshot } from "../support/hostSnapshot";
import { tempFolder } from "../support/tempFolders";
import { isRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";
import { capturingLogger, settingsFor, workspaceError, workspaceWith } from "./workspaceFixtures";

before(requireBuilt);
// This suite's hosts start from the startup snapshot, as users' do; the other suites' start without.
before(() => builtHostSnapshot(settingsFor("").hostMemoryMb));

const TOOLS = `import { tool } from "llm-function";
import { z } from "zod";
import { existsSync } from "node:fs";

const text = z.object({ text: z.string() });

export const echo = tool({ name: "echo", description: "Echo", input: text, output: text }, ({ text }) => {
  console.log("echo says " + text);
  return { text };
});
export const fails = tool({ name: "fails", description: "Always fails", input: text, output: text }, () => {
  throw new Error("disk on fire");
});
export const hangs = tool({ name: "hangs", description: "Never returns", input: text, output: text }, () => new Promise<{ text: string }>(() => undefined));
export const exits = tool({ name: "exits", description: "Ends the process", input: text, output: text }, () => process.exit(3));
export const floods = tool({ name: "floods", description: "Writes a lot", input: text, output: text }, () => {
  const line = "x".repeat(1000);
  for (let i = 0; i < 20000; i++) console.log(line);
  return { text: "done" };
});
export const strays = tool({ name: "strays", description: "Leaves a rejected promise behind", input: text, output: text }, ({ text }) => {
  void Promise.reject(new Error("stray " + text));
  return { text };
});
export const slow = tool({ name: "slow", description: "Answers after a while", input: text, output: text }, ({ text }) =>
  new Promise<{ text: string }>((resolve) => setTimeout(() => resolve({ text }), 300)),
);
export const forgets = tool({ name: "forgets", description: "Forgets its return", input: text, output: text }, (() => undefined) as unknown as () => { text: string });
export const throwsOddly = tool({ name: "throws_oddly", description: "Throws an object that cannot be printed", input: text, output: text }, () => {
  throw { toString() { throw new Error("no printing me"); } };
});
export const deep = tool({ name: "deep", description: "Returns deeply nested output", input: text, output: z.object({ text: z.json() }) }, () => {
  let value: unknown = [];
  for (let i = 0; i < 5000; i++) value = [value];
  return { text: value } as { text: never };
});
export const spawns = tool({ name: "spawns", description: "Leaves processes behind", input: text, output: text }, async () => {
  const { spawn } = await import("node:child_process");
  const attached = spawn("sleep", ["60"], { stdio: "ignore" });
  const detached = spawn("sleep", ["60"], { stdio: "ignore", detached: true });
  detached.unref();
  attached.unref();
  return { text: [attached.pid, detached.pid].join(",") };
});
export const gated = tool({ name: "gated", description: "Answers once the file it is given exists", input: text, output: text }, async ({ text }) => {
  console.log("gated waits for " + text);
  while (!existsSync(text)) await new Promise((resolve) => setTimeout(resolve, 20));
  return { text: "opened" };
});
export const patient = tool({ name: "patient", description: "Waits for cancellation", input: text, output: text }, (_input, { signal }) =>
  new Promise<{ text: string }>((resolve) => signal?.addEventListener("abort", () => resolve({ text: "aborted" }))),
);
`;

/** Timers pending in this process. */
function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;
}

describe("tool host", () => {
  const log = capturingLogger();
  let session: WorkspaceSession;
  const tool = (name: string): Tool => {
    const found = session.runtime.tools.byName(name);
    assert.ok(found, name);
    return found;
  };

  before(async () => {
    session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "tools.llm.ts": TOOLS }), { toolTimeoutMs: 1000, logger: log }),
    );
    assert.deepEqual(session.discovery.diagnostics, []);
  });
  after(() => session.dispose());

  it("runs a tool out of process and forwards its console output to the log", async () => {
    assert.deepEqual(await tool("echo").invoke({ text: "hi" }, {}), { text: "hi" });
    await waitFor("the tool's console line in the log", () => log.lines.some((l) => l.includes("echo says hi")));
  });

  it("fails a throwing tool with its message (the caller names the tool)", async () => {
    await assert.rejects(async () => tool("fails").invoke({ text: "a" }, {}), {
      kind: "TOOL_FAILED",
      stage: "call",
      message: "disk on fire",
    });
  });

  it("times out a hanging tool and restarts the host; a call caught in the restart runs again on the new host", async () => {
    const hangs = tool("hangs");
    // The call caught in the restart runs under a time limit it cannot reach, whatever the load:
    // only "hangs" times out. A settings change leaves the tool host as it is.
    await session.updateSettings({ toolTimeoutMs: 60_000 });
    try {
      const gate = join(await tempFolder("llmfn-gate-"), "open");
      const inFlight = tool("gated").invoke({ text: gate }, {});
      // It waits for its gate, so it is still running in the host when the host is restarted.
      await waitFor("the gated call running", () => log.lines.some((l) => l.includes(`gated waits for ${gate}`)));
      await assert.rejects(async () => hangs.invoke({ text: "a" }, {}), workspaceError("TOOL_TIMEOUT", "call"));
      await writeFile(gate, "");
      assert.deepEqual(await inFlight, { text: "opened" });
      assert.ok(
        log.lines.some((l) =>
          /Tool "gated": the host was restarted because tool "hangs" timed out.*retrying it once/.test(l),
        ),
      );
    } finally {
      await session.updateSettings({ toolTimeoutMs: 1000 });
    }
    assert.deepEqual(await tool("echo").invoke({ text: "again" }, {}), { text: "again" });
  });

  it("survives a tool calling process.exit, naming it as the cause", async () => {
    await assert.rejects(async () => tool("exits").invoke({ text: "a" }, {}), {
      kind: "TOOL_HOST_EXITED",
      stage: "call",
      message: "it brought the tool host down (it exited with code 3); the host restarts on the next call.",
    });
    assert.deepEqual(await tool("echo").invoke({ text: "back" }, {}), { text: "back" });
  });

  it("retries the other calls in flight when a tool crashes the host; the crashing one fails alone", async () => {
    assert.deepEqual(await tool("echo").invoke({ text: "warm" }, {}), { text: "warm" });
    const gate = join(await tempFolder("llmfn-gate-"), "open");
    const innocent = tool("gated").invoke({ text: gate }, {});
    await waitFor("the innocent call running", () => log.lines.some((l) => l.includes(`gated waits for ${gate}`)));
    const crash = Promise.resolve(tool("exits").invoke({ text: "culprit" }, {}));
    // Opened once the crash caught it: it cannot have finished before.
    await waitFor("the innocent call's retry", () =>
      log.lines.some((l) => /Tool "gated": .*exited with code 3.*retrying it once/.test(l)),
    );
    await writeFile(gate, "");
    await assert.rejects(crash, {
      kind: "TOOL_HOST_EXITED",
      message: /^it brought the tool host down \(it exited with code 3\)/,
    });
    assert.deepEqual(await innocent, { text: "opened" });
  });

  it("fails a tool returning undefined, or throwing an unprintable value, at once and without a restart", async () => {
    assert.deepEqual(await tool("echo").invoke({ text: "warm" }, {}), { text: "warm" });
    const pid = session.toolHostPid;
    // Each message is the tool's own failure: had the call waited for the 1000 ms time limit, it would say so.
    await assert.rejects(async () => tool("forgets").invoke({ text: "a" }, {}), {
      kind: "TOOL_FAILED",
      message: "it returned nothing (undefined): is a `return` missing?",
    });
    await assert.rejects(async () => tool("throws_oddly").invoke({ text: "a" }, {}), {
      kind: "TOOL_FAILED",
      message: "it threw an object that cannot be described",
    });
    await assert.rejects(async () => tool("deep").invoke({ text: "a" }, {}), {
      kind: "TOOL_FAILED",
      message: /^it returned output that is refused: it is nested more than 128 levels deep/,
    });
    assert.equal(session.toolHostPid, pid);
  });

  it("fails a call whose input JSON cannot carry, without leaving a timer that restarts the host later", async () => {
    assert.deepEqual(await tool("echo").invoke({ text: "warm" }, {}), { text: "warm" });
    const pid = session.toolHostPid;
    const timers = activeTimers();
    const circular: Record<string, unknown> = { text: "loop" };
    circular.self = circular;
    await assert.rejects(
      async () => tool("echo").invoke({ text: 1n }, {}),
      workspaceError("TOOL_INPUT_NOT_JSON", "call"),
    );
    await assert.rejects(async () => tool("echo").invoke(circular, {}), workspaceError("TOOL_INPUT_NOT_JSON", "call"));
    // A call's time limit left running would restart the host once it ran out: seen here, at once.
    assert.equal(activeTimers(), timers);
    assert.equal(session.toolHostPid, pid);
    assert.deepEqual(await tool("echo").invoke({ text: "still here" }, {}), { text: "still here" });
  });

  it("logs a rejected promise a tool left behind, keeping the host and the calls running in it", async () => {
    assert.deepEqual(await tool("echo").invoke({ text: "warm" }, {}), { text: "warm" });
    const pid = session.toolHostPid;
    const inFlight = tool("slow").invoke({ text: "still running" }, {});
    assert.deepEqual(await tool("strays").invoke({ text: "promise" }, {}), { text: "promise" });
    await waitFor("the stray rejection in the log", () =>
      log.lines.some((l) => /unhandled promise rejection in workspace code: Error: stray promise/.test(l)),
    );
    assert.deepEqual(await inFlight, { text: "still running" });
    assert.equal(session.toolHostPid, pid, "the host was not restarted");
  });

  it("bounds a tool flooding stdout", async () => {
    const before = log.lines.length;
    assert.deepEqual(await tool("floods").invoke({ text: "a" }, {}), { text: "done" });
    await waitFor("the dropped-lines notice", () =>
      log.lines.slice(before).some((l) => /lines of tool output dropped/.test(l)),
    );
    assert.ok(log.lines.length - before < 1000, `forwarded ${log.lines.length - before} lines`);
  });

  it("cancels a call through its AbortSignal", async () => {
    const controller = new AbortController();
    const call = tool("patient").invoke({ text: "a" }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(async () => call, workspaceError("TOOL_CANCELLED", "call"));
    assert.deepEqual(await tool("echo").invoke({ text: "still here" }, {}), { text: "still here" });
  });
});

describe("a tool running out of memory", () => {
  it("is named as the cause: the host ran over its memory cap", async () => {
    const hog = `import { tool } from "llm-function";
import { z } from "zod";
export const hog = tool({ name: "hog", description: "Keeps every string it makes", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) }, () => {
  const kept: string[] = [];
  for (;;) kept.push("x".repeat(1024) + kept.length);
});
`;
    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "hog.llm.ts": hog }), { toolTimeoutMs: 60_000, hostMemoryMb: 64 }),
    );
    try {
      const tool = session.runtime.tools.byName("hog");
      assert.ok(tool);
      await assert.rejects(Promise.resolve(tool.invoke({ text: "a" }, {})), {
        message: /^it brought the tool host down \(it ran out of memory, over the 64 MB limit\)/,
      });
    } finally {
      await session.dispose();
    }
  });
});

describe("closing a session", () => {
  it("stops the processes its tools left running, attached or detached", async () => {
    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith({ "tools.llm.ts": TOOLS }), { toolTimeoutMs: 5000 }),
    );
    const spawns = session.runtime.tools.byName("spawns");
    assert.ok(spawns);
    const { text } = (await spawns.invoke({ text: "a" }, {})) as { text: string };
    const pids = text.split(",").map(Number);
    assert.ok(pids.every(isRunning), "both sleeps run while the session is open");
    await session.dispose();
    await waitFor("the processes the tools left to stop", () => !pids.some(isRunning));
  });
});

describe("a load request", () => {
  it("says when it is written to the host, once and before the host's reply", async () => {
    const client = new ToolHostClient({
      ...hostProcessOptions(settingsFor("").hostMemoryMb),
      logger: capturingLogger(),
      loadTimeoutMs: 30_000,
    });
    try {
      const events: string[] = [];
      const loading = client.load(
        [
          {
            file: "/decl.llm.ts",
            bundlePath: "/decl.cjs",
            format: "cjs",
            runtimeModules: [],
            code: "module.exports = {};",
          },
        ],
        () => events.push("sent"),
      );
      const reports = await loading;
      events.push("replied");
      assert.deepEqual(events, ["sent", "replied"]);
      assert.deepEqual(reports, [{ tools: [], functions: [], problems: [] }]);
    } finally {
      await client.dispose();
    }
  });
});
