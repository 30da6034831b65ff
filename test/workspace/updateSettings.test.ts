import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import type { WorkspaceSettings } from "../../src/workspace/workspaceTypes";
import {
  purposeOf,
  startScriptedOllama,
  type ChatResponder,
  type ScriptedOllama,
} from "../support/scriptedOllamaServer";
import { requireBuilt } from "../support/built";
import { tempFolder } from "../support/tempFolders";
import { isRunning } from "../support/processes";
import { waitFor } from "../support/waitFor";
import { settingsFor, stringTool, workspaceError, workspaceWith } from "./workspaceFixtures";

before(requireBuilt);

// WorkspaceSession.updateSettings applies each kind of change with the least disruption: these
// tests drive real tool hosts and a scripted Ollama over HTTP, and watch what was (not) restarted.

const SLOW_MS = 400;

const DECLARATIONS = `import { llmFunction, tool } from "llm-function";
import { z } from "zod";

const text = z.object({ text: z.string() });

export const slow = tool({ name: "slow", description: "Echoes the text after a while", input: text, output: text }, ({ text }) =>
  new Promise<{ text: string }>((resolve) => setTimeout(() => resolve({ text }), ${SLOW_MS})),
);
export const echo = llmFunction({ description: "Echo the text", input: text, output: text });
`;

const GOOD_PLAN = {
  steps: [
    { name: "slow", args: { text: "input.output.text" } },
    { name: "output_model", args: { text: "slow.output.text" } },
  ],
};
/** A plan naming a tool that does not exist: the planner is asked again, up to maxRetry times. */
const BAD_PLAN = {
  steps: [
    { name: "no_such_tool", args: {} },
    { name: "output_model", args: { text: "no_such_tool.output.text" } },
  ],
};

function responder(plan: unknown, planDelayMs = 0): ChatResponder {
  return (request) => {
    const purpose = purposeOf(request);
    if (purpose === "check") return { json: { justification: "The slow tool echoes the text.", decision: true } };
    if (purpose === "plan") return { json: plan, delayMs: planDelayMs };
    return { status: 500, error: `unexpected ${purpose} request` };
  };
}

function count(ollama: ScriptedOllama, purpose: "check" | "plan"): number {
  return ollama.requests.filter((request) => purposeOf(request) === purpose).length;
}

/** Tool hosts started with this memory limit (found by their command line), on Linux. */
function hostsWithMemory(memoryMb: number): number[] {
  const flag = `--max-old-space-size=${memoryMb}`;
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes(flag);
      } catch {
        return false; // ended while we looked
      }
    })
    .map(Number);
}

const CAN_LIST_PROCESSES = existsSync("/proc/self/cmdline");

/** A declaration file whose loading waits as long as the file `hold` exists, so that a session can be closed mid-load. */
function heldLoading(hold: string): string {
  return `import { existsSync } from "node:fs";
while (existsSync(${JSON.stringify(hold)})) await new Promise((resolve) => setTimeout(resolve, 20));
${DECLARATIONS}`;
}

describe("updating a workspace session's settings", () => {
  let ollama: ScriptedOllama;
  const sessions: WorkspaceSession[] = [];

  before(async () => {
    ollama = await startScriptedOllama();
  });
  after(async () => {
    await Promise.all(sessions.map((session) => session.dispose()));
    await ollama.close();
  });

  async function open(
    overrides: Partial<WorkspaceSettings> = {},
    files: Record<string, string> = { "echo.llm.ts": DECLARATIONS },
  ): Promise<WorkspaceSession> {
    const session = await WorkspaceSession.open(
      settingsFor(await workspaceWith(files), {
        llm: { type: "ollama", host: ollama.url, model: "qwen3:8b" },
        ...overrides,
      }),
    );
    sessions.push(session);
    assert.deepEqual(session.discovery.diagnostics, []);
    return session;
  }

  it("applies planning settings to the next planning, not to the one running, and keeps the tool host", async () => {
    const session = await open({ runtime: { maxRetry: 2, resetLoops: 0, checkVotes: 1 } });
    const pid = session.toolHostPid;
    assert.notEqual(pid, undefined, "the declarations were loaded into a tool host");
    ollama.setResponder(responder(BAD_PLAN, 150));
    const checksBefore = count(ollama, "check");
    const plansBefore = count(ollama, "plan");

    const running = session.plan("echo");
    await waitFor("the first planner request", () => count(ollama, "plan") > plansBefore);
    await session.updateSettings({ runtime: { maxRetry: 4, resetLoops: 0, checkVotes: 3 } });
    const first = await running;
    assert.equal(first.ok, false);
    assert.equal(count(ollama, "check") - checksBefore, 1, "the running planning kept its single check vote");
    assert.equal(count(ollama, "plan") - plansBefore, 2, "the running planning kept maxRetry 2");

    const second = await session.plan("echo", { forceReplan: true });
    assert.equal(second.ok, false);
    if (!second.ok) assert.equal(second.error.kind, "PLANNING_HF");
    assert.equal(count(ollama, "check") - checksBefore, 1 + 3, "the next planning asked for 3 check votes");
    assert.equal(count(ollama, "plan") - plansBefore, 2 + 4, "the next planning retried up to maxRetry 4");
    assert.equal(session.toolHostPid, pid, "the tool host was not restarted");
    assert.deepEqual(session.settings.runtime, { maxRetry: 4, resetLoops: 0, checkVotes: 3 });
  });

  it("applies a shorter tool timeout to the next call while a running call keeps its own", async () => {
    const session = await open({ toolTimeoutMs: 5000 });
    ollama.setResponder(responder(GOOD_PLAN));
    const planned = await session.plan("echo");
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    const pid = session.toolHostPid;

    const running = session.call("echo", { text: "before" });
    await session.updateSettings({ toolTimeoutMs: 100 });
    assert.equal(session.toolHostPid, pid, "changing the timeout restarts no host");
    const finished = await running;
    assert.ok(finished.ok, finished.ok ? "" : finished.error.message);
    assert.deepEqual(finished.value.output, { text: "before" });

    const timedOut = await session.call("echo", { text: "after" });
    assert.equal(timedOut.ok, false);
    if (!timedOut.ok) {
      assert.equal(timedOut.error.kind, "RUNNER");
      assert.match(timedOut.error.message, /timed out after 100 ms/);
    }

    await session.updateSettings({ toolTimeoutMs: 5000 });
    const again = await session.call("echo", { text: "again" });
    assert.ok(again.ok, again.ok ? "" : again.error.message);
    assert.equal(again.value.reused, true, "the stored workflow serves the rebuilt runtime");
  });

  it("switches the endpoint in place, keeping the workflow held in memory", async () => {
    const session = await open();
    ollama.setResponder(responder(GOOD_PLAN));
    assert.ok((await session.plan("echo")).ok);
    const runtime = session.runtime;
    const unreachable = { type: "ollama" as const, host: "http://127.0.0.1:9", model: "other:1b" };
    await session.updateSettings({ llm: unreachable });
    assert.equal(session.runtime, runtime, "the runtime and its cache are kept");
    assert.deepEqual(session.settings.llm, unreachable);
    const called = await session.call("echo", { text: "cached" });
    assert.ok(called.ok, called.ok ? "" : called.error.message);
    assert.equal(called.value.reused, true, "served from memory by the workflow this runtime planned: a reuse");
    const replanned = await session.plan("echo", { forceReplan: true });
    assert.equal(replanned.ok, false, "the next LLM call goes to the new endpoint");
    if (!replanned.ok) assert.match(replanned.error.kind, /LLM_/);
  });

  it("re-discovers in place when include or exclude change", async () => {
    const session = await open({}, { "a.llm.ts": stringTool("alpha"), "b.fn.ts": stringTool("beta") });
    const pid = session.toolHostPid;
    const seen: string[][] = [];
    session.onDidChange((result) => seen.push(result.tools.map((t) => t.name)));
    assert.deepEqual(
      session.discovery.tools.map((t) => t.name),
      ["alpha"],
    );

    await session.updateSettings({ include: ["**/*.llm.ts", "**/*.fn.ts"] });
    assert.deepEqual(session.discovery.tools.map((t) => t.name).sort(), ["alpha", "beta"]);
    assert.ok(session.runtime.tools.byName("beta"), "the runtime has the newly included tool");
    assert.deepEqual(await session.runtime.tools.byName("beta")!.invoke({ text: "hi" }, {}), { text: "HI" });

    await session.updateSettings({ exclude: ["**/a.llm.ts"] });
    assert.deepEqual(
      session.discovery.tools.map((t) => t.name),
      ["beta"],
    );
    assert.equal(session.runtime.tools.byName("alpha"), undefined, "the excluded tool is gone from the runtime");
    assert.deepEqual(
      seen.map((names) => names.sort()),
      [["alpha", "beta"], ["beta"]],
      "listeners heard each re-discovery",
    );
    assert.equal(session.toolHostPid, pid, "the tool host was not restarted");
  });

  it("writes to a new storage path from the next planning on", async () => {
    const session = await open();
    const storage = join(await workspaceWith({}), "workflows-here");
    await session.updateSettings({ storagePath: storage });
    assert.equal(session.storagePath, storage);
    ollama.setResponder(responder(GOOD_PLAN));
    const planned = await session.plan("echo");
    assert.ok(planned.ok, planned.ok ? "" : planned.error.message);
    assert.equal(readdirSync(join(storage, "workflows")).length, 1);
    assert.equal(existsSync(join(session.settings.folder, ".llm-function")), false, "nothing went to the old storage");
  });

  it("replaces the tool host for a new memory limit, stopping the old one once its running call is done", async () => {
    const session = await open();
    ollama.setResponder(responder(GOOD_PLAN));
    assert.ok((await session.plan("echo")).ok);
    const oldPid = session.toolHostPid;
    assert.ok(oldPid !== undefined);

    const running = session.call("echo", { text: "in flight" });
    await session.updateSettings({ hostMemoryMb: 300 });
    const newPid = session.toolHostPid;
    assert.ok(newPid !== undefined && newPid !== oldPid, "a new host took over");
    assert.ok(isRunning(oldPid), "the old host still serves the running call");
    const finished = await running;
    assert.ok(finished.ok, finished.ok ? "" : finished.error.message);
    assert.deepEqual(finished.value.output, { text: "in flight" });
    await waitFor("the old host to stop", () => !isRunning(oldPid));

    const next = await session.call("echo", { text: "new host" });
    assert.ok(next.ok, next.ok ? "" : next.error.message);
    assert.equal(session.toolHostPid, newPid);
    assert.equal(session.settings.hostMemoryMb, 300);
  });
  it("closing right after a new memory limit was asked for leaves no tool host running", {
    skip: !CAN_LIST_PROCESSES,
  }, async () => {
    const session = await open();
    const oldPid = session.toolHostPid;
    assert.ok(oldPid !== undefined);
    const updating = session.updateSettings({ hostMemoryMb: 333 });
    const closing = session.dispose();
    await assert.rejects(updating, workspaceError("SESSION_CLOSED"));
    await closing;
    await waitFor("the old host to stop", () => !isRunning(oldPid));
    assert.equal(session.toolHostPid, undefined);
    assert.deepEqual(hostsWithMemory(333), [], "no host was started for the new limit");
    await assert.rejects(session.refresh(), workspaceError("SESSION_CLOSED"), "a closed session takes no more work");
  });

  it("closing while the new tool host loads stops it without waiting for the load", {
    skip: !CAN_LIST_PROCESSES,
  }, async () => {
    const hold = join(await tempFolder("llmfn-hold-"), "hold");
    const session = await open({}, { "echo.llm.ts": heldLoading(hold) });
    const oldPid = session.toolHostPid;
    assert.ok(oldPid !== undefined);
    await writeFile(hold, "");
    const updating = session.updateSettings({ hostMemoryMb: 334 });
    updating.catch(() => undefined); // asserted below; closing may come first
    await waitFor("the new host to start", () => hostsWithMemory(334).length > 0);
    const [newPid] = hostsWithMemory(334);
    assert.ok(newPid !== undefined);
    // The load never ends while `hold` exists: closing returns only because it does not wait for it.
    await session.dispose();
    await assert.rejects(updating, workspaceError("SESSION_CLOSED"));
    await waitFor("the new host to stop", () => !isRunning(newPid));
    await waitFor("the old host to stop", () => !isRunning(oldPid));
    assert.equal(session.toolHostPid, undefined);
  });
});
