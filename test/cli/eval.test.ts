import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { EvalReport, EvalRun } from "../../src/engine/eval/evalReport";
import { isLlmFunction, type LlmFunction } from "../../src/engine/llmFunction";
import { EVAL_SUITE_PLANS } from "../support/evalSuitePlans";
import { noisyModel, type KnownTask, type NoisyEvent, type NoisyModel } from "../support/noisyModel";
import { requireBuilt } from "../support/built";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { tempFolder } from "../support/tempFolders";

const root = join(__dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const suite = join(root, "examples", "eval-suite");

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function llmfn(args: string[], onStderr?: (text: string, pid: number) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (child.pid !== undefined) onStderr?.(stderr, child.pid);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** What the model knows: each function's description with its correct plan, or that it is infeasible. */
async function suiteTasks(): Promise<Record<string, KnownTask>> {
  const tasks: Record<string, KnownTask> = {};
  for (const file of (await readdir(suite)).filter((name) => name.endsWith(".llm.ts"))) {
    for (const value of Object.values((await import(join(suite, file))) as Record<string, unknown>)) {
      if (!isLlmFunction(value)) continue;
      const fn = value as LlmFunction;
      const name = fn.functionName as string;
      tasks[name] = {
        description: fn.description,
        plan: fn.expectInfeasible ? "infeasible" : (EVAL_SUITE_PLANS[name] ?? []),
      };
    }
  }
  return tasks;
}

async function suiteCopy(): Promise<string> {
  const folder = await tempFolder("llmfn-eval-suite-");
  await cp(suite, folder, { recursive: true });
  return folder;
}

/** The model's events of each run, in order: runs are sequential and each stored its LLM call count. */
function eventsPerRun(runs: readonly EvalRun[], events: readonly NoisyEvent[]): NoisyEvent[][] {
  let at = 0;
  return runs.map((run) => {
    const slice = events.slice(at, at + (run.llmCalls ?? 0));
    at += run.llmCalls ?? 0;
    return slice;
  });
}

before(requireBuilt);

describe("llmfn eval over examples/eval-suite with a noisy model", () => {
  let server: ScriptedOllama;
  let model: NoisyModel;
  let tasks: Record<string, KnownTask>;
  let folder: string;
  let out: string;
  before(async () => {
    tasks = await suiteTasks();
    model = noisyModel({
      tasks,
      rates: {
        unknownTool: 0.08,
        wrongReference: 0.08,
        missingOutputField: 0.06,
        wrongType: 0.06,
        truncatedJson: 0.06,
        swappedOutputFields: 0.1,
      },
      adaptMistakeRate: 0.1,
      seed: 7,
    });
    server = await startScriptedOllama({ respond: model });
    folder = await suiteCopy();
    out = await tempFolder("llmfn-eval-report-");
  });
  after(async () => {
    await server.close();
    await rm(folder, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it("plans every function twice from scratch and reports what happened, run by run", async () => {
    assert.equal(Object.keys(tasks).length, 25);
    assert.equal(Object.values(tasks).filter((t) => t.plan === "infeasible").length, 5);
    const result = await llmfn(["eval", "--runs", "2", "--workspace", folder, "--host", server.url, "--out", out]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /\[eval\] 25 functions × 2 runs × 1 model/);
    assert.match(result.stdout, /^MODEL\s+SUCCESS/m);

    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as EvalReport;
    assert.equal(report.runs.length, 50);
    assert.equal(report.cancelled, false);
    assert.deepEqual(report.models, ["qwen3:8b"]);
    // Every LLM call the server answered belongs to exactly one run.
    assert.equal(
      report.runs.reduce((sum, run) => sum + (run.llmCalls ?? -1000), 0),
      server.requests.length,
    );
    assert.equal(model.events.length, server.requests.length);

    const slices = eventsPerRun(report.runs, model.events);
    let mistakes = 0;
    for (const [index, run] of report.runs.entries()) {
      const events = slices[index] as NoisyEvent[];
      const label = `${run.function} run ${run.run}: ${JSON.stringify(events)} ${JSON.stringify(run)}`;
      assert.ok(
        events.every((e) => e.task === run.function),
        label,
      );
      assert.equal(events[0]?.purpose, "check", label);
      if (run.expectInfeasible) {
        assert.equal(run.outcome, "refused", label);
        assert.equal(run.llmCalls, 1, label);
        continue;
      }
      // The simulator's plans are correct apart from its mistakes, so planning always recovers here.
      assert.equal(run.outcome, "completed", label);
      assert.equal(run.testsPassed, run.testsTotal, label);
      const injected = events.filter((e) => e.mistake !== undefined);
      mistakes += injected.length;
      if (injected.length === 0) {
        assert.equal(run.llmCalls, 2, label);
        assert.deepEqual(run.errorKinds, [], label);
      }
      if (run.errorKinds.length > 0) assert.ok(injected.length > 0, label);
      for (const [at, event] of events.entries()) {
        const later = events.slice(at + 1);
        switch (event.mistake) {
          case "unknownTool":
            assert.ok(run.errorKinds.includes("PLANNING_HF"), label);
            break;
          case "truncatedJson":
            assert.ok(
              run.errorKinds.includes("PLANNING_JSON") || run.errorKinds.includes("PLANNING_MISSOUTPUT"),
              label,
            );
            break;
          case "missingOutputField":
            assert.ok(
              run.errorKinds.includes("PLANNING_OUTPUT_MODEL") || later.some((e) => e.purpose === "adapt"),
              label,
            );
            break;
          case "wrongReference":
          case "wrongType":
            // The deterministic check catches it and the adaptor is asked to repair the step.
            assert.ok(
              later.some((e) => e.purpose === "adapt"),
              label,
            );
            break;
          case "swappedOutputFields":
            // Same types: the tests catch it (OUTPUTS_UNEXPECTED) and the output step is re-adapted;
            // different types: the deterministic check does. A swap may also pick the same field.
            assert.ok(run.errorKinds.includes("OUTPUTS_UNEXPECTED") || later.some((e) => e.purpose === "adapt"), label);
            break;
          case "adaptWrongReference":
            assert.ok(run.errorKinds.includes("ADAPTOR_JSON"), label);
            break;
          case undefined:
            break;
        }
      }
    }
    assert.ok(mistakes >= 10, `the seed should make mistakes (made ${mistakes})`);
    // Every repair path ran: replanning after an invented tool or broken JSON, the adaptor after
    // a bad reference, and re-adapting the output after a test showed swapped fields.
    for (const kind of ["PLANNING_HF", "PLANNING_JSON", "ADAPTOR_JSON", "OUTPUTS_UNEXPECTED"] as const) {
      assert.ok(
        report.runs.some((run) => run.errorKinds.includes(kind)),
        `no run met ${kind}`,
      );
    }
    assert.ok(
      model.events.some((e) => e.purpose === "adapt"),
      "the adaptor was asked to repair a step",
    );

    const [total] = report.totals;
    assert.ok(total);
    assert.equal(total.runs, 50);
    assert.equal(total.completed, 40);
    assert.equal(total.expectedRefusals, 10);
    assert.equal(total.successes, 50);
    assert.equal(total.testsPassed, total.testsTotal);
    assert.equal(
      total.testsTotal,
      report.runs.reduce((sum, run) => sum + (run.outcome === "completed" ? run.testsTotal : 0), 0),
    );
    assert.equal(total.llmCalls, server.requests.length);
    // Tokens as the server reported them, summed per planning and then per model.
    assert.ok(report.runs.every((run) => run.tokens !== undefined && run.tokens.prompt > 0 && run.tokens.answer > 0));
    assert.deepEqual(total.tokens, {
      prompt: report.runs.reduce((sum, run) => sum + (run.tokens?.prompt ?? 0), 0),
      answer: report.runs.reduce((sum, run) => sum + (run.tokens?.answer ?? 0), 0),
    });
    for (const cell of report.cells) assert.equal(cell.runs, 2);

    const markdown = await readFile(join(out, "report.md"), "utf8");
    assert.match(
      markdown,
      new RegExp(
        `\\| qwen3:8b \\| 50/50 \\(100\\.0 %\\) \\| 40 \\| 10 \\| ${total.testsPassed}/${total.testsTotal} \\| ${total.llmCalls} \\| ${total.tokens?.prompt} \\+ ${total.tokens?.answer} \\|`,
      ),
    );
    assert.match(markdown, /\| update_customer_email \(infeasible\) \| 2\/2 \| 0 \| 2 \|/);
    // Planning happened in a throwaway storage: the workspace got no workflow files.
    assert.deepEqual(await readdir(join(folder, ".llm-function")).catch(() => []), []);
  });

  it("counts a model that refuses feasible tasks and completes none as failing them", async () => {
    const refusing = noisyModel({
      tasks: Object.fromEntries(
        Object.entries(tasks).map(([name, task]) => [name, { ...task, plan: "infeasible" as const }]),
      ),
      rates: {
        unknownTool: 0,
        wrongReference: 0,
        missingOutputField: 0,
        wrongType: 0,
        truncatedJson: 0,
        swappedOutputFields: 0,
      },
      seed: 1,
    });
    server.setResponder(refusing);
    const result = await llmfn([
      "eval",
      "--functions",
      "slug_for_title,pay_in_bitcoin",
      "--workspace",
      folder,
      "--host",
      server.url,
      "--out",
      out,
      "--json",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as EvalReport;
    assert.deepEqual(
      report.cells.map((c) => [c.function, c.successes, c.refused, c.expectedRefusals, c.errorKinds]),
      [
        ["slug_for_title", 0, 1, 0, { INIT_CHECK: 1 }],
        ["pay_in_bitcoin", 1, 1, 1, { INIT_CHECK: 1 }],
      ],
    );
    server.setResponder(model);
  });

  it("stops at once with a typed error when the model is not on the host", async () => {
    const result = await llmfn([
      "eval",
      "--models",
      "tiny:1b",
      "--functions",
      "slug_for_title",
      "--workspace",
      folder,
      "--host",
      server.url,
      "--out",
      out,
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /LLM_MODEL_NOT_FOUND/);
  });

  it("refuses bad usage before anything runs", async () => {
    for (const args of [
      ["--runs", "0"],
      ["--runs", "x"],
      ["--functions", "nope"],
      ["--models", ","],
      ["slug_for_title"],
    ]) {
      const result = await llmfn(["eval", ...args, "--workspace", folder, "--host", server.url]);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    }
  });

  it("is cancelled by Ctrl-C, writing the runs made so far", async () => {
    let sent = false;
    const result = await llmfn(
      ["eval", "--runs", "3", "--workspace", folder, "--host", server.url, "--out", out],
      (stderr, pid) => {
        if (!sent && /run 1\/3/.test(stderr)) {
          sent = true;
          process.kill(pid, "SIGINT");
        }
      },
    );
    assert.equal(result.code, 130, result.stderr);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as EvalReport;
    assert.equal(report.cancelled, true);
    assert.ok(report.runs.length >= 1 && report.runs.length < 75);
  });
});
