import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { requireBuilt } from "../support/built";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { tempFolder } from "../support/tempFolders";
import { weatherPlanner } from "./weatherPlans";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
/** Nothing listens here: any LLM call fails as unreachable. */
const CLOSED = "http://127.0.0.1:9";
/** The CLI keeps bundles between runs: in a folder of these tests, not the user's cache. */
const bundleCache = tempFolder("llmfn-cli-cache-");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function llmfn(args: string[], onSpawn?: (pid: number) => void, script = cli): Promise<CliRun> {
  const cacheFolder = await bundleCache;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OLLAMA_HOST: CLOSED, LLMFN_CACHE_DIR: cacheFolder },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (child.pid !== undefined) onSpawn?.(child.pid);
  });
}

/** A copy of the example, so its committed workflows stay untouched. */
async function exampleCopy(): Promise<string> {
  const folder = await tempFolder("llmfn-weather-");
  await cp(join(root, "examples", "weather"), folder, { recursive: true });
  return folder;
}

async function workflowFiles(folder: string): Promise<string[]> {
  return (await readdir(join(folder, ".llm-function", "workflows")).catch(() => [])).sort();
}

before(requireBuilt);

describe("llmfn without any LLM", () => {
  let folder: string;
  before(async () => {
    folder = await exampleCopy();
  });

  it("runs a function from its committed workflow", async () => {
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", folder]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      city: "Paris",
      country: "France",
      condition: "sunny",
      highC: 14,
      highF: 57.2,
    });
  });

  it("loads only the declaration files a stored workflow needs once the bundle cache knows them", async () => {
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Oslo"}', "--workspace", folder, "--verbose"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).city, "Oslo");
    assert.match(run.stderr, /Loaded 3 of 5 declaration files: the others declare nothing city_forecast needs\./);
  });

  it("runs with --json and reads the input from a file", async () => {
    await writeFile(join(folder, "input.json"), '{"email":"ada@example.com"}');
    const run = await llmfn([
      "run",
      "email_customer_forecast",
      "--input",
      `@${join(folder, "input.json")}`,
      "--workspace",
      folder,
      "--json",
    ]);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; reused: boolean; output: { subject: string } };
    assert.equal(result.ok, true);
    assert.equal(result.reused, true);
    assert.equal(result.output.subject, "Weather in Paris today");
  });

  it("lists every function as ready with its schemas", async () => {
    const run = await llmfn(["list", "--json", "--workspace", folder]);
    assert.equal(run.code, 0, run.stderr);
    const listed = JSON.parse(run.stdout) as {
      functions: { name: string; status: string; inputSchema: { type: string } }[];
    };
    assert.deepEqual(
      listed.functions.map((f) => [f.name, f.status]),
      [
        ["city_forecast", "ready"],
        ["email_customer_forecast", "ready"],
        ["weather_headline", "ready"],
      ],
    );
    assert.equal(listed.functions[0]?.inputSchema.type, "object");
  });

  it("refuses invalid JSON and schema-invalid input with exit 2, running nothing", async () => {
    const files = await workflowFiles(folder);
    const badJson = await llmfn(["run", "city_forecast", "--input", '{"city":', "--workspace", folder]);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /not valid JSON/);
    assert.equal(badJson.stdout, "");
    const badShape = await llmfn(["run", "city_forecast", "--input", '{"town":"Paris"}', "--workspace", folder]);
    assert.equal(badShape.code, 2);
    assert.match(badShape.stderr, /city: Invalid input/);
    assert.doesNotMatch(badShape.stderr, /\[run\]/);
    assert.deepEqual(await workflowFiles(folder), files);
  });

  it("fails to plan with a clear message and exit 1 when no LLM answers", async () => {
    const run = await llmfn(["plan", "city_forecast", "--force", "--workspace", folder, "--host", CLOSED]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /city_forecast failed at stage "\w+" \(LLM_UNREACHABLE\)/);
    assert.match(
      run.stderr,
      /The host came from --host, the model from the default\. llmfn reads .* not VS Code's User settings\./,
      "names where host and model came from",
    );
  });

  it("fails to plan a never-planned function with exit 1 naming the stage and LLM_UNREACHABLE", async () => {
    const fresh = await exampleCopy();
    const shown = await llmfn(["show", "weather_headline", "--json", "--workspace", fresh]);
    assert.equal(shown.code, 0, shown.stderr);
    const stored = (JSON.parse(shown.stdout) as { workflows: { file: string }[] }).workflows;
    assert.ok(stored.length > 0, "the example ships a workflow for weather_headline");
    await Promise.all(stored.map((w) => rm(w.file)));
    const listed = JSON.parse((await llmfn(["list", "--json", "--workspace", fresh])).stdout) as {
      functions: { name: string; status: string }[];
    };
    assert.equal(listed.functions.find((f) => f.name === "weather_headline")?.status, "not_planned");

    const files = await workflowFiles(fresh);
    const run = await llmfn(["plan", "weather_headline", "--workspace", fresh, "--host", CLOSED]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /weather_headline failed at stage "\w+" \(LLM_UNREACHABLE\)/);
    assert.match(run.stderr, /127\.0\.0\.1:9/, "the message names the endpoint that did not answer");
    assert.deepEqual(await workflowFiles(fresh), files, "a failed plan writes no workflow file");
  });

  it("refuses an invalid setting in .vscode/settings.json with exit 2 naming it, loading nothing", async () => {
    const fresh = await exampleCopy();
    await mkdir(join(fresh, ".vscode"), { recursive: true });
    await writeFile(join(fresh, ".vscode", "settings.json"), '{ "llmFunction.tools.timeoutMs": "soon" }');
    const run = await llmfn(["list", "--workspace", fresh]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Invalid setting llmFunction\.tools\.timeoutMs in .*settings\.json/);
    assert.equal(run.stdout, "");
  });

  it("refuses a workspace folder that does not exist with exit 2", async () => {
    const run = await llmfn(["list", "--workspace", join(folder, "no-such-folder")]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No workspace folder at .*no-such-folder/);
  });

  it("fails with exit 1, not a usage error, when the installation is incomplete", async () => {
    // The CLI alone (its start and the program it loads), without the tool host and runtime modules built beside it.
    const installation = await tempFolder("llmfn-broken-install-");
    await mkdir(join(installation, "dist"));
    for (const file of ["cli.js", "cliProgram.js"])
      await cp(join(dirname(cli), file), join(installation, "dist", file));
    await writeFile(join(installation, "package.json"), JSON.stringify({ name: "llm-function" }));
    await symlink(join(root, "node_modules"), join(installation, "node_modules"), "dir");
    const run = await llmfn(["list", "--workspace", folder], undefined, join(installation, "dist", "cli.js"));
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /installation is incomplete: .*toolHost\.js/);
  });

  it("rejects bad usage with exit 2", async () => {
    assert.equal((await llmfn(["run", "city_forecast", "--workspace", folder])).code, 2);
    assert.equal((await llmfn(["frobnicate"])).code, 2);
    const unknown = await llmfn(["show", "nope", "--workspace", folder]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Known functions: city_forecast, email_customer_forecast, weather_headline/);
  });
});

describe("llmfn against a scripted Ollama", () => {
  let server: ScriptedOllama;
  let folder: string;
  before(async () => {
    server = await startScriptedOllama({ respond: weatherPlanner() });
    folder = await exampleCopy();
    await rm(join(folder, ".llm-function"), { recursive: true });
  });
  after(() => server.close());

  it("plans, runs from the stored workflow, and plans anew with --force", async () => {
    const list = await llmfn(["list", "--json", "--workspace", folder]);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { functions: { status: string }[] }).functions.map((f) => f.status),
      ["not_planned", "not_planned", "not_planned"],
    );

    const plan = await llmfn(["plan", "weather_headline", "--workspace", folder, "--host", server.url]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /web_search\(query ← "Weather in \{\{1\.output\.name\}\}"/);
    assert.match(plan.stderr, /\[plan\]/, "progress goes to stderr");
    assert.equal((await workflowFiles(folder)).length, 1);
    const llmCalls = server.requests.length;

    const run = await llmfn([
      "run",
      "weather_headline",
      "--input",
      '{"city":"tokyo"}',
      "--workspace",
      folder,
      "--host",
      server.url,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      headline: "Weather in Tokyo: rainy season arrives",
      url: "https://news.example.com/tokyo-tsuyu",
      country: "Japan",
    });
    assert.equal(server.requests.length, llmCalls, "running a stored workflow asks no LLM");

    const replan = await llmfn(["plan", "weather_headline", "--force", "--workspace", folder, "--host", server.url]);
    assert.equal(replan.code, 0, replan.stderr);
    assert.ok(server.requests.length > llmCalls);
    assert.equal((await workflowFiles(folder)).length, 2);
  });

  it("cancels planning on Ctrl-C with exit 130 and no workflow file written", async () => {
    server.setResponder(() => ({ hang: true }));
    const before = await workflowFiles(folder);
    const requests = server.requests.length;
    const run = await llmfn(["plan", "city_forecast", "--workspace", folder, "--host", server.url], (pid) => {
      const poll = setInterval(() => {
        if (server.requests.length > requests) {
          clearInterval(poll);
          process.kill(pid, "SIGINT");
        }
      }, 20);
    });
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /CANCELLED/);
    assert.deepEqual(await workflowFiles(folder), before);
  });
});
