import fc from "fast-check";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRuntime } from "../../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../../src/engine/toolRegistry";
import { tool } from "../../src/engine/tools/tool";
import { parseWorkflowFile } from "../../src/engine/workflow/workflowFileSchema";
import { purposeOf, startScriptedOllama, type ScriptedReply } from "../support/scriptedOllamaServer";
import { z } from "zod";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../support/weatherTools";
import { describeThrown, emptyTally, note, prototypesPolluted, withWatchdog, type FuzzTally } from "./fuzzTally";
import { tempFolder } from "../support/tempFolders";

// Random and hostile model answers, and HTTP faults, through a scripted Ollama and the real
// `ollama` client into real plannings. Every planning must end, with a workflow or a typed
// error that is not INTERNAL or STORAGE, pollute nothing and leave every stored file readable.

const spec = emailWeatherReport.toSpec();
const input = { city: "Paris", email: "a@example.com" };
const WATCHDOG_MS = 30_000;

/** A tool taking any JSON: a literal planned for it reaches zod (and a recursive walk) as is. */
const annotate = tool(
  {
    name: "annotate",
    description: "Attach a note of any JSON shape to the report.",
    input: z.object({ data: z.json() }),
    output: z.object({ ok: z.boolean() }),
  },
  () => ({ ok: true }),
);
const fuzzTools = [...weatherTools, annotate];

const hostileRefs = fc.constantFrom(
  "input.output.__proto__.polluted",
  "1.output.constructor.prototype",
  "{{0.output.__proto__}}",
  "9.output.x",
  "geocode.output.lat",
  "0.output",
  "input.output.city",
  "{{",
  "",
);
const hostileKeys = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "city", "lat", ""),
  fc.string({ maxLength: 12 }),
);

/** A literal nested past every limit (the answer that once got saved in a completed workflow). */
const deepValue = fc
  .integer({ min: 150, max: 4_000 })
  .map((depth): unknown => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`));

/** The correct plan with one argument replaced: a wrong reference, a literal, an odd key. */
const mutatedPlan = fc
  .record({
    step: fc.nat(6),
    key: hostileKeys,
    value: fc.oneof(hostileRefs, fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 40 }), deepValue),
    rename: fc.option(fc.constantFrom("rm_rf", "output_model", "geocode", "", "__proto__"), { nil: undefined }),
    annotated: fc.boolean(),
  })
  .map(({ step, key, value, rename, annotated }) => {
    const plan = correctPlan();
    if (annotated) plan.steps.splice(plan.steps.length - 1, 0, { name: "annotate", args: {} });
    const target = annotated ? plan.steps[plan.steps.length - 2]! : plan.steps[step % plan.steps.length]!;
    if (annotated) key = "data";
    // defineProperty: a plain assignment to "__proto__" would set the prototype instead of a key.
    Object.defineProperty(target.args, key, { value, enumerable: true, writable: true, configurable: true });
    if (rename !== undefined) target.name = rename;
    // JSON.stringify would overflow on the deep literal: it is spliced in as text.
    const placeholder = "\u0000deep\u0000";
    const deep =
      typeof value === "object" && value !== null && Array.isArray(value) && Array.isArray(value[0])
        ? depthOf(value)
        : 0;
    if (deep > 0)
      Object.defineProperty(target.args, key, {
        value: placeholder,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    const text = JSON.stringify(plan);
    return deep > 0 ? text.replace(JSON.stringify(placeholder), `${"[".repeat(deep)}${"]".repeat(deep)}`) : text;
  });

function depthOf(value: unknown): number {
  let depth = 0;
  for (let at = value; Array.isArray(at); at = at[0]) depth += 1;
  return depth;
}

const deepText = fc
  .integer({ min: 100, max: 6_000 })
  .map((depth) => `{"steps": [{"name": "geocode", "args": {"city": ${"[".repeat(depth)}${"]".repeat(depth)}}}]}`);

const answerText = fc.oneof(
  { weight: 4, arbitrary: mutatedPlan },
  { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
  { weight: 2, arbitrary: deepText },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constant(JSON.stringify(correctPlan())) },
  {
    weight: 1,
    arbitrary: fc.constant(
      `{"steps": [${Array.from({ length: 60 }, () => '{"name":"geocode","args":{}}').join(",")}]}`,
    ),
  },
);

/** Wrappings small models produce around (or instead of) clean JSON. */
const wrapped = fc
  .tuple(answerText, fc.constantFrom("plain", "fence", "prose", "think", "truncate", "unclosed-think"))
  .map(([text, how]) => {
    switch (how) {
      case "fence":
        return `Here is the plan:\n\`\`\`json\n${text}\n\`\`\``;
      case "prose":
        return `Sure! ${text} Hope this helps [1].`;
      case "think":
        return `<think>{"steps": "not this"}</think>${text}`;
      case "truncate":
        return text.slice(0, Math.floor(text.length / 2));
      case "unclosed-think":
        return `<think>${text}`;
      default:
        return text;
    }
  });

/** HTTP faults and broken answers, as a proxy, a crashing server or a wrong endpoint give them. */
const httpFault = fc.constantFrom<ScriptedReply>(
  { status: 500, rawBody: "internal error", contentType: "text/plain" },
  { status: 404, rawBody: "404 page not found", contentType: "text/plain" },
  { status: 503, rawBody: "<html><h1>503 Service Unavailable</h1></html>", contentType: "text/html" },
  { status: 500, error: "model runner crashed" },
  { status: 429, rawBody: '{"error":"too many requests"}' },
  { rawBody: "this is not JSON" },
  { rawBody: '{"message": {"content": 42}, "done": true}' },
  { rawBody: `{"message": {"content": "x"}, "done": true, "deep": ${"[".repeat(20_000)}${"]".repeat(20_000)}}` },
  { json: correctPlan(), cutOff: true },
  { json: correctPlan(), delayMs: 50 },
);

const reply = fc.oneof(
  { weight: 6, arbitrary: wrapped.map((content): ScriptedReply => content) },
  { weight: 1, arbitrary: httpFault },
);

/** One conversation: what the check answers, then the plan and adapt answers in turn (cycled). */
export const conversation = fc.record({
  check: fc.oneof(
    { weight: 4, arbitrary: fc.constant<ScriptedReply>({ json: feasible }) },
    { weight: 1, arbitrary: reply },
  ),
  answers: fc.array(reply, { minLength: 1, maxLength: 6 }),
});

export interface ModelAnswerFuzzOptions {
  seed: number;
  plannings: number;
}

export async function fuzzModelAnswers({ seed, plannings }: ModelAnswerFuzzOptions): Promise<FuzzTally> {
  const tally = emptyTally();
  const server = await startScriptedOllama();
  const root = await tempFolder("llmfn-fuzz-answers-");
  try {
    // A good workflow every planning's storage starts with: it must survive whatever comes next.
    const seedStorage = join(root, "seed");
    server.setResponder((request) => (purposeOf(request) === "check" ? { json: feasible } : { json: correctPlan() }));
    const seeded = await (await runtimeAt(server.url, seedStorage)).plan(spec);
    if (!seeded.ok) throw new Error(`fuzz set-up: the clean planning failed: ${seeded.error.message}`);
    const [goodName] = await readdir(join(seedStorage, "workflows"));
    const goodText = await readFile(join(seedStorage, "workflows", goodName!), "utf8");

    const samples = fc.sample(conversation, { seed, numRuns: plannings });
    for (const [index, sample] of samples.entries()) {
      const storage = join(root, `p${index}`);
      await mkdir(join(storage, "workflows"), { recursive: true });
      await writeFile(join(storage, "workflows", goodName!), goodText);
      let turn = 0;
      server.setResponder((request) =>
        purposeOf(request) === "check" ? sample.check : sample.answers[turn++ % sample.answers.length]!,
      );
      const before = server.requests.length;
      const label = `planning ${index} (seed ${seed})`;
      try {
        const runtime = await runtimeAt(server.url, storage);
        const outcome = await withWatchdog(runtime.plan(spec, { forceReplan: true }), WATCHDOG_MS);
        if (outcome === "hang") note(tally, "hangs", label);
        else if (!outcome.value.ok && ["INTERNAL", "STORAGE"].includes(outcome.value.error.kind)) {
          note(tally, "crashes", `${label}: ${outcome.value.error.kind} ${outcome.value.error.message.slice(0, 300)}`);
        } else if (outcome.value.ok) {
          // A workflow planned from hostile answers must run, from its file, in a fresh runtime.
          const called = await withWatchdog((await runtimeAt(server.url, storage)).call(spec, input), WATCHDOG_MS);
          if (called === "hang") note(tally, "hangs", `${label}: the call`);
          else if (!called.value.ok && called.value.error.kind === "INTERNAL")
            note(tally, "crashes", `${label}: call ${called.value.error.message}`);
        }
      } catch (error) {
        note(tally, "crashes", `${label}: ${describeThrown(error)}`);
      }
      tally.tried += server.requests.length - before;
      if (prototypesPolluted()) note(tally, "pollution", label);
      await checkFiles(tally, join(storage, "workflows"), goodName!, label);
      await rm(storage, { recursive: true, force: true });
    }
  } finally {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
  return tally;
}

function runtimeAt(host: string, storagePath: string) {
  return createRuntime({
    config: {
      llm: { type: "ollama", host, model: "qwen3:8b" },
      storagePath,
      maxRetry: 3,
      resetLoops: 1,
      llmTimeoutMs: 30_000,
    },
    sources: [inMemoryToolSource(fuzzTools)],
  });
}

/** The seeded good file is still there and every workflow file reads back: nothing lost, nothing half-written. */
async function checkFiles(tally: FuzzTally, directory: string, goodName: string, label: string): Promise<void> {
  const names = await readdir(directory);
  if (!names.includes(goodName)) note(tally, "filesLost", `${label}: the good workflow file is gone`);
  for (const name of names) {
    const parsed = parseWorkflowFile(await readFile(join(directory, name), "utf8"));
    if (!parsed.ok) note(tally, "filesLost", `${label}: ${name} does not read back (${parsed.error})`);
  }
}
