import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRuntime } from "../../src/engine/runtime/llmFunctionRuntime";
import { utcStamp } from "../../src/engine/storage/workflowStore";
import { inMemoryToolSource } from "../../src/engine/toolRegistry";
import { parseWorkflowFile } from "../../src/engine/workflow/workflowFileSchema";
import { unusedLoopbackUrl } from "../support/llmScript";
import { purposeOf, startScriptedOllama } from "../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../support/weatherTools";
import { describeThrown, emptyTally, note, prototypesPolluted, withWatchdog, type FuzzTally } from "./fuzzTally";
import { tempFolder } from "../support/tempFolders";

// Corrupt storage: entries named like the newest workflow of a function, next to a good one.
// Listing, status and a call (with no LLM reachable) must skip them, never throw or hang, and
// still find and run the good workflow.

const spec = emailWeatherReport.toSpec();
const input = { city: "Paris", email: "a@example.com" };

type Corruption =
  | { kind: "truncate"; at: number }
  | { kind: "garble"; at: number; text: string }
  | { kind: "deep"; depth: number }
  | { kind: "version"; version: fc.JsonValue }
  | { kind: "json"; value: fc.JsonValue }
  | { kind: "proto" }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "huge" }
  | { kind: "special"; what: "fifo" | "directory" | "symlink-out" | "symlink-loop" | "dangling" };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("garble" as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("deep" as const), depth: fc.integer({ min: 150, max: 50_000 }) }),
  fc.record({ kind: fc.constant("version" as const), version: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ kind: fc.constant("json" as const), value: fc.jsonValue({ maxDepth: 4 }) }),
  fc.constant({ kind: "proto" as const }),
  fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ maxLength: 200 }) }),
  fc.constant({ kind: "huge" as const }),
  fc.record({
    kind: fc.constant("special" as const),
    what: fc.constantFrom(
      "fifo" as const,
      "directory" as const,
      "symlink-out" as const,
      "symlink-loop" as const,
      "dangling" as const,
    ),
  }),
);

export interface CorruptStorageFuzzOptions {
  seed: number;
  folders: number;
}

export async function fuzzCorruptStorage({ seed, folders }: CorruptStorageFuzzOptions): Promise<FuzzTally> {
  const tally = emptyTally();
  const root = await tempFolder("llmfn-fuzz-storage-");
  const server = await startScriptedOllama({
    respond: (request) => (purposeOf(request) === "check" ? { json: feasible } : { json: correctPlan() }),
  });
  try {
    const planned = await (await runtimeAt(server.url, join(root, "seed"))).plan(spec);
    if (!planned.ok) throw new Error(`fuzz set-up: the clean planning failed: ${planned.error.message}`);
    const good = planned.value;
    const goodText = JSON.stringify(good, null, 2);
    const offline = await unusedLoopbackUrl();
    const samples = fc.sample(fc.array(corruption, { minLength: 1, maxLength: 3 }), { seed, numRuns: folders });
    for (const [index, corruptions] of samples.entries()) {
      const directory = join(root, `f${index}`, "workflows");
      await mkdir(directory, { recursive: true });
      const goodName = `${good.inputId}_${good.id}_${utcStamp(new Date(good.savedAt))}.json`;
      await writeFile(join(directory, goodName), goodText);
      // A garble can leave a valid workflow (a changed tool id, say): newer, it rightly wins over the good one.
      let stillAWorkflow = false;
      for (const [position, damage] of corruptions.entries()) {
        const later = new Date(Date.parse(good.savedAt) + (position + 1) * 60_000);
        const file = join(directory, `${good.inputId}_bad${position}_${utcStamp(later)}.json`);
        await writeCorrupt(file, damage, goodText, root);
        if (damage.kind !== "special" && damage.kind !== "huge" && parseWorkflowFile(await readFile(file, "utf8")).ok)
          stillAWorkflow = true;
      }
      const label = `folder ${index} [${corruptions.map((c) => c.kind + ("what" in c ? `:${c.what}` : "")).join(", ")}] (seed ${seed})`;
      tally.tried += corruptions.length;
      try {
        const runtime = await runtimeAt(offline, join(root, `f${index}`));
        const checked = await withWatchdog(
          (async () => {
            const listed = await runtime.workflows(spec);
            const status = await runtime.status(spec);
            const called = await runtime.call(spec, input);
            return { listed, status, called };
          })(),
          20_000,
        );
        if (checked === "hang") note(tally, "hangs", label);
        else {
          const { listed, status, called } = checked.value;
          if (!called.ok && called.error.kind === "INTERNAL")
            note(tally, "crashes", `${label}: ${called.error.message}`);
          else if (!listed.some((entry) => entry.workflow.id === good.id))
            note(tally, "filesLost", `${label}: the good workflow is not listed`);
          else if (!stillAWorkflow && (!called.ok || called.value.workflow.id !== good.id || status !== "ready")) {
            note(
              tally,
              "filesLost",
              `${label}: the good workflow was not used (${called.ok ? `status ${status}` : called.error.message})`,
            );
          }
        }
      } catch (error) {
        note(tally, "crashes", `${label}: ${describeThrown(error)}`);
      }
      if (!(await readdir(directory)).includes(goodName)) note(tally, "filesLost", `${label}: the good file is gone`);
      if (prototypesPolluted()) note(tally, "pollution", label);
      await rm(join(root, `f${index}`), { recursive: true, force: true });
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
  return tally;
}

function runtimeAt(host: string, storagePath: string) {
  return createRuntime({
    config: { llm: { type: "ollama", host, model: "qwen3:8b" }, storagePath, llmTimeoutMs: 2_000 },
    sources: [inMemoryToolSource(weatherTools)],
  });
}

async function writeCorrupt(file: string, damage: Corruption, goodText: string, root: string): Promise<void> {
  switch (damage.kind) {
    case "truncate":
      return writeFile(file, goodText.slice(0, damage.at % goodText.length));
    case "garble": {
      const at = damage.at % goodText.length;
      return writeFile(file, goodText.slice(0, at) + damage.text + goodText.slice(at + damage.text.length));
    }
    case "deep":
      return writeFile(
        file,
        goodText.replace('"steps": [', `"steps": [${"[".repeat(damage.depth)}${"]".repeat(damage.depth)}, `),
      );
    case "version":
      return writeFile(
        file,
        goodText.replace('"formatVersion": 1', `"formatVersion": ${JSON.stringify(damage.version)}`),
      );
    case "json":
      return writeFile(file, JSON.stringify(damage.value));
    case "proto":
      return writeFile(
        file,
        goodText.replace("{", '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}},'),
      );
    case "bytes":
      return writeFile(file, damage.bytes);
    case "huge":
      // Sparse: past the size cap without writing 40 MB.
      await writeFile(file, goodText);
      return truncate(file, 40 * 1024 * 1024);
    case "special":
      switch (damage.what) {
        case "fifo":
          execFileSync("mkfifo", [file]);
          return;
        case "directory":
          await mkdir(file);
          return;
        case "symlink-out": {
          const outside = join(root, `outside-${Math.random().toString(36).slice(2)}.json`);
          await writeFile(outside, goodText);
          return symlink(outside, file);
        }
        case "symlink-loop":
          return symlink(file, file);
        case "dangling":
          return symlink(join(root, "missing.json"), file);
      }
  }
}
