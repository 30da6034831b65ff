import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { unusedLoopbackUrl } from "../support/llmScript";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { weatherPlanner } from "./weatherPlans";
import { requireBuilt } from "../support/built";
import { tempFolder } from "../support/tempFolders";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");

function llmfn(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OLLAMA_HOST: "http://127.0.0.1:9" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

before(requireBuilt);

describe("llmfn models", () => {
  let server: ScriptedOllama;
  let empty: string;
  before(async () => {
    server = await startScriptedOllama({ models: ["qwen3:8b", "gemma3:4b"], contextLength: 40960 });
    empty = await tempFolder("llmfn-models-");
  });
  after(async () => {
    await server.close();
    await rm(empty, { recursive: true, force: true });
  });

  it("lists the host's models with size and context length, the configured one marked", async () => {
    const run = await llmfn(["models", "--host", server.url, "--model", "gemma3:4b", "--workspace", empty]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /MODEL\s+SIZE\s+CONTEXT/);
    assert.match(run.stdout, /\*\s+gemma3:4b\s+5\.0 GB\s+40960 tokens/);
    assert.match(run.stdout, /^\s+qwen3:8b\s+5\.0 GB\s+40960 tokens/m);
  });

  it("--json gives the same as data, and a missing configured model is said", async () => {
    const run = await llmfn(["models", "--json", "--host", server.url, "--model", "llama3.2", "--workspace", empty]);
    assert.equal(run.code, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as {
      configured: string;
      models: { name: string; contextLength: number; sizeBytes: number; configured: boolean }[];
    };
    assert.equal(listed.configured, "llama3.2");
    assert.deepEqual(
      listed.models.map((m) => [m.name, m.contextLength, m.configured]),
      [
        ["qwen3:8b", 40960, false],
        ["gemma3:4b", 40960, false],
      ],
    );
    const text = await llmfn(["models", "--host", server.url, "--model", "llama3.2", "--workspace", empty]);
    assert.match(text.stdout, /configured model llama3\.2 is not there: pull it with `ollama pull llama3\.2`/);
  });

  it("an unreachable host is exit 1 with the reason", async () => {
    const run = await llmfn(["models", "--host", await unusedLoopbackUrl(), "--workspace", empty]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /LLM_UNREACHABLE/);
  });
});

describe("llmfn show reports usage per call and per planning", () => {
  let server: ScriptedOllama;
  let folder: string;
  before(async () => {
    server = await startScriptedOllama({ respond: weatherPlanner() });
    folder = await tempFolder("llmfn-usage-");
    await cp(join(root, "examples", "weather"), folder, { recursive: true });
    await rm(join(folder, ".llm-function"), { recursive: true });
  });
  after(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it("after a planning, show gives its tokens, model time, num_ctx and tools per call, and their sum", async () => {
    const plan = await llmfn(["plan", "weather_headline", "--workspace", folder, "--host", server.url]);
    assert.equal(plan.code, 0, plan.stderr);
    const show = await llmfn(["show", "weather_headline", "--workspace", folder, "--host", server.url]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /LLM usage of the newest workflow:/);
    assert.match(
      show.stdout,
      /Planning: 2 LLM calls, \d+ prompt characters, \d+ prompt \+ \d+ answer tokens, load 4 ms, prompt \d+ ms, answer \d+ ms, \d+ ms in all in LLM calls/,
    );
    assert.match(
      show.stdout,
      /check \(loop 0, attempt 1\): \d+ prompt \+ \d+ answer tokens, load 2 ms.*num_ctx 4096, \d+ tools shown/,
    );
    assert.match(show.stdout, /plan \(loop 0, attempt 1\): \d+ prompt \+ \d+ answer tokens/);

    const json = await llmfn(["show", "weather_headline", "--json", "--workspace", folder, "--host", server.url]);
    const shown = JSON.parse(json.stdout) as {
      workflows: {
        stats: { usage: { promptTokens: number } };
        calls: { stage: string; llm: { usage: { promptTokens: number } } }[];
      }[];
    };
    const [workflow] = shown.workflows;
    assert.equal(workflow?.calls.length, 2);
    assert.equal(
      workflow?.stats.usage.promptTokens,
      workflow?.calls.reduce((total, c) => total + c.llm.usage.promptTokens, 0),
    );
  });
});
