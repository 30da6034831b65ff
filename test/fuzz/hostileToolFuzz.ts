import fc from "fast-check";
import { rm } from "node:fs/promises";
import { z } from "zod";
import { tool, type Tool } from "../../src/engine/tools/tool";
import { compileWorkflow } from "../../src/engine/workflow/runWorkflow";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { settingsFor, workspaceWith } from "../workspace/workspaceFixtures";
import { describeThrown, emptyTally, note, prototypesPolluted, withWatchdog, type FuzzTally } from "./fuzzTally";

// Hostile tools: every way a handler can misbehave, alone and several at once, in the isolated
// tool host and in-process. Each call must end as a result or a typed error (never a throw or
// INTERNAL), and the next ordinary call must work.

/** What a chaos tool does when called; the same handler runs in the tool host and in-process. */
const CHAOS_HANDLER = `async ({ mode, size }) => {
  const deep = () => { let v = []; for (let i = 0; i < size; i++) v = [v]; return v; };
  switch (mode) {
    case "ok": return { text: "fine" };
    case "throw-error": throw new Error("tool failed on purpose");
    case "throw-null": throw null;
    case "throw-undefined": throw undefined;
    case "throw-odd": throw { toString() { throw new Error("no printing"); } };
    case "throw-symbol": throw Symbol("odd");
    case "throw-message-getter": { const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw new Error("getter"); } }); throw e; }
    case "return-undefined": return undefined;
    case "return-null": return null;
    case "return-wrong-shape": return { text: 42, extra: true };
    case "return-deep": return { text: "deep", nested: deep() };
    case "return-cyclic": { const o = { text: "loop" }; o.self = o; return o; }
    case "return-bigint": return { text: "big", n: 10n };
    case "return-huge": return { text: "x".repeat(size * 100) };
    case "return-getter-throws": return Object.defineProperty({ text: "g" }, "boom", { enumerable: true, get() { throw new Error("getter"); } });
    case "return-proxy": return new Proxy({}, { ownKeys() { throw new Error("proxy trap"); }, get() { throw new Error("proxy get"); } });
    case "reject-later": await new Promise((r) => setTimeout(r, size % 50)); throw new Error("later");
    case "stray-rejection": void Promise.reject(new Error("stray")); return { text: "left a rejection" };
    case "flood": for (let i = 0; i < 3000; i++) console.log("flood " + i); return { text: "flooded" };
    case "hang": return new Promise(() => undefined);
    case "exit": process.exit(size % 7 + 1);
    case "kill": process.kill(process.pid, "SIGKILL"); return { text: "unreachable" };
    default: return { text: "unknown mode " + mode };
  }
}`;

const IN_PROCESS_MODES = [
  "ok",
  "throw-error",
  "throw-null",
  "throw-undefined",
  "throw-odd",
  "throw-symbol",
  "throw-message-getter",
  "return-undefined",
  "return-null",
  "return-wrong-shape",
  "return-deep",
  "return-cyclic",
  "return-bigint",
  "return-huge",
  "return-getter-throws",
  "return-proxy",
  "reject-later",
] as const;
/**
 * Only in the tool host: in-process they would stop or block the calling process itself (a
 * stray rejection is the caller's process's own policy to handle), which is what the host is for.
 */
const HOST_ONLY_MODES = ["stray-rejection", "flood", "hang", "exit", "kill"] as const;

const chaosInput = z.object({ mode: z.string(), size: z.number().int() });
const chaosOutput = z.object({ text: z.string() });

const callOf = (modes: readonly string[]) =>
  fc.record({ mode: fc.constantFrom(...modes), size: fc.integer({ min: 1, max: 5_000 }) });
const hostBatch = fc.array(
  fc.oneof({ weight: 5, arbitrary: callOf(IN_PROCESS_MODES) }, { weight: 1, arbitrary: callOf(HOST_ONLY_MODES) }),
  { minLength: 1, maxLength: 4 },
);
const inProcessBatch = fc.array(callOf(IN_PROCESS_MODES), { minLength: 1, maxLength: 4 });

export interface HostileToolFuzzOptions {
  seed: number;
  /** Batches of concurrent calls in the tool host. */
  hostBatches: number;
  /** Batches of concurrent calls of the in-process tool. */
  inProcessBatches: number;
}

export async function fuzzHostileTools({
  seed,
  hostBatches,
  inProcessBatches,
}: HostileToolFuzzOptions): Promise<FuzzTally> {
  const tally = emptyTally();
  const folder = await workspaceWith({
    "chaos.llm.ts": `import { tool } from "llm-function";\nimport { z } from "zod";\nexport const chaos = tool({ name: "chaos", description: "Misbehaves on demand", input: z.object({ mode: z.string(), size: z.number().int() }), output: z.object({ text: z.string() }) }, ${CHAOS_HANDLER});\n`,
  });
  const session = await WorkspaceSession.open(settingsFor(folder, { toolTimeoutMs: 500 }));
  try {
    const hosted = session.runtime.tools.byName("chaos");
    if (!hosted)
      throw new Error(
        `fuzz set-up: the chaos tool was not discovered: ${JSON.stringify(session.discovery.diagnostics)}`,
      );
    await runBatches(tally, hosted, fc.sample(hostBatch, { seed, numRuns: hostBatches }), "tool host");
  } finally {
    await session.dispose();
    await rm(folder, { recursive: true, force: true });
  }
  // The same handler in-process: `new Function` stands in for a declaration file's export.
  const handler = new Function(`return ${CHAOS_HANDLER}`)() as (
    input: z.output<typeof chaosInput>,
  ) => Promise<z.input<typeof chaosOutput>>;
  const inProcess = tool(
    { name: "chaos", description: "Misbehaves on demand", input: chaosInput, output: chaosOutput },
    handler,
  );
  await runBatches(
    tally,
    inProcess,
    fc.sample(inProcessBatch, { seed: seed + 1, numRuns: inProcessBatches }),
    "in-process",
  );
  return tally;
}

async function runBatches(
  tally: FuzzTally,
  chaos: Tool,
  batches: { mode: string; size: number }[][],
  where: string,
): Promise<void> {
  const compiled = compileWorkflow(
    [
      {
        id: 1,
        tool: "chaos",
        toolId: chaos.id,
        args: { mode: { ref: "0.output.mode" }, size: { ref: "0.output.size" } },
      },
      { id: 2, tool: "output_model", args: { text: { ref: "1.output.text" } } },
    ],
    { byId: (id) => (id === chaos.id ? chaos : undefined) },
  );
  if (!compiled.ok) throw new Error(`fuzz set-up: ${compiled.error.message}`);
  const run = (call: { mode: string; size: number }) =>
    compiled.value.run(call, { validateOutput: (value) => ({ ok: true, value }) });
  for (const [index, batch] of batches.entries()) {
    const label = `${where} batch ${index} [${batch.map((c) => c.mode).join(", ")}]`;
    const outcomes = await Promise.all(
      batch.map((call) =>
        withWatchdog(
          Promise.resolve().then(() => run(call)),
          20_000,
        ).catch((error: unknown) => ({ thrown: error })),
      ),
    );
    tally.tried += batch.length;
    for (const outcome of outcomes) {
      if (outcome === "hang") note(tally, "hangs", label);
      else if ("thrown" in outcome) note(tally, "crashes", `${label}: ${describeThrown(outcome.thrown)}`);
      else if (!outcome.value.ok && outcome.value.error.kind === "INTERNAL")
        note(tally, "crashes", `${label}: ${outcome.value.error.message}`);
    }
    // Whatever happened, the next ordinary call works.
    const after = await withWatchdog(run({ mode: "ok", size: 1 }), 20_000);
    if (after === "hang") note(tally, "hangs", `${label}: the next call`);
    else if (!after.value.ok) note(tally, "crashes", `${label}: the next call failed (${after.value.error.message})`);
    if (prototypesPolluted()) note(tally, "pollution", label);
  }
}
