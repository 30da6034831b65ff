import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { purposeOf, startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { requireBuilt, exampleCopy, llmfn, storedFiles } from "./cliProcess";
import { weatherPlanner } from "./weatherPlans";

/** The example's stored files of one function, found by the task name inside them. */
async function filesOf(folder: string, name: string): Promise<{ file: string; inputId: string }[]> {
  const dir = join(folder, ".llm-function", "workflows");
  const found = [];
  for (const file of await storedFiles(folder)) {
    const workflow = JSON.parse(await readFile(join(dir, file), "utf8")) as { inputId: string; task: { name: string } };
    if (workflow.task.name === name) found.push({ file: join(dir, file), inputId: workflow.inputId });
  }
  return found;
}

/** Removes a function's stored workflows, returning its inputId (the lock's name). */
async function unplan(folder: string, name: string): Promise<string> {
  const files = await filesOf(folder, name);
  assert.ok(files.length > 0);
  await Promise.all(files.map((f) => rm(f.file)));
  return files[0]!.inputId;
}

/** A pid that no process has: a child that has already exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(child.pid!));
  });
}

describe("planning once across processes", () => {
  let server: ScriptedOllama;
  before(async () => {
    requireBuilt();
    server = await startScriptedOllama({ respond: weatherPlanner() });
  });
  after(() => server.close());

  it("five CLI processes planning the same function make one planning and one file, and all use it", async () => {
    const folder = await exampleCopy();
    await unplan(folder, "city_forecast");
    const files = await storedFiles(folder);
    server.requests.length = 0;
    // The LLM answers once the four other processes wait for the planning: they really overlap, however slowly they start.
    const waiting = new Set<number>();
    let overlapping!: () => void;
    const overlap = new Promise<void>((resolve) => {
      overlapping = resolve;
    });
    const planner = weatherPlanner();
    server.setResponder(async (request) => {
      await overlap;
      return planner(request);
    });
    const onStderr = (text: string, pid: number) => {
      if (!text.includes("Waiting for another process")) return;
      waiting.add(pid);
      if (waiting.size === 4) overlapping();
    };
    const runs = await Promise.all(
      Array.from({ length: 5 }, () =>
        llmfn(["plan", "city_forecast", "--json", "--workspace", folder, "--host", server.url], { onStderr }),
      ),
    ).finally(() => server.setResponder(weatherPlanner()));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const ids = runs.map((run) => (JSON.parse(run.stdout) as { workflow: { id: string } }).workflow.id);
    assert.equal(new Set(ids).size, 1, `every process uses the one workflow: ${ids.join(", ")}`);
    assert.deepEqual(
      server.requests.map((r) => purposeOf(r)),
      ["check", "plan"],
    );
    const added = (await storedFiles(folder)).filter((f) => !files.includes(f));
    assert.equal(added.length, 1);
    assert.equal(
      runs.filter((run) => /Waiting for another process \(pid \d+ on /.test(run.stderr)).length,
      4,
      "every process but the planner waited for the planning",
    );
    assert.deepEqual(await readdir(join(folder, ".llm-function", "locks")), [".gitignore"], "no lock is left behind");
  });

  it("a lock left by a dead process is taken over", async () => {
    const folder = await exampleCopy();
    const inputId = await unplan(folder, "weather_headline");
    const locks = join(folder, ".llm-function", "locks");
    await mkdir(locks, { recursive: true });
    const pid = await deadPid();
    await writeFile(
      join(locks, `${inputId}.lock`),
      JSON.stringify({
        pid,
        hostname: hostname(),
        token: "abandoned",
        functionName: "weather_headline",
        startedAt: new Date().toISOString(),
      }),
    );
    server.requests.length = 0;
    const run = await llmfn(["plan", "weather_headline", "--workspace", folder, "--host", server.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, 2);
    assert.equal((await filesOf(folder, "weather_headline")).length, 1);
    assert.deepEqual(await readdir(locks), [".gitignore"]);
  });

  it("waiting for a live planner says so and can be cancelled, writing nothing", async () => {
    const folder = await exampleCopy();
    const inputId = await unplan(folder, "weather_headline");
    const locks = join(folder, ".llm-function", "locks");
    await mkdir(locks, { recursive: true });
    const lock = join(locks, `${inputId}.lock`);
    // This test process stands for the live planner.
    await writeFile(
      lock,
      JSON.stringify({
        pid: process.pid,
        hostname: hostname(),
        token: "live",
        functionName: "weather_headline",
        startedAt: new Date().toISOString(),
      }),
    );
    server.requests.length = 0;
    let interrupted = false;
    const run = await llmfn(["plan", "weather_headline", "--workspace", folder, "--host", server.url], {
      onStderr: (text, pid) => {
        if (
          !interrupted &&
          text.includes(`Waiting for another process (pid ${process.pid} on ${hostname()}) planning weather_headline`)
        ) {
          interrupted = true;
          process.kill(pid, "SIGINT");
        }
      },
    });
    assert.equal(run.code, 130, run.stderr);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(await filesOf(folder, "weather_headline"), []);
    assert.equal(JSON.parse(await readFile(lock, "utf8")).token, "live", "the live planner's lock is left alone");
  });

  it("plan --all plans every function that is not ready, one at a time, with a summary", async () => {
    const folder = await exampleCopy();
    await unplan(folder, "city_forecast");
    await unplan(folder, "weather_headline");
    server.requests.length = 0;
    const run = await llmfn(["plan", "--all", "--workspace", folder, "--host", server.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /city_forecast\s+not planned\s+planned: workflow \w+/);
    assert.match(run.stdout, /email_customer_forecast\s+ready\s+ready, not planned again/);
    assert.match(run.stdout, /weather_headline\s+not planned\s+planned: workflow \w+/);
    assert.match(run.stdout, /2 planned, 0 failed, 1 already ready/);
    assert.deepEqual(
      server.requests.map((r) => purposeOf(r)),
      ["check", "plan", "check", "plan"],
    );
    const listed = JSON.parse((await llmfn(["list", "--json", "--workspace", folder])).stdout) as {
      functions: { status: string }[];
    };
    assert.deepEqual(
      listed.functions.map((f) => f.status),
      ["ready", "ready", "ready"],
    );
  });
});
