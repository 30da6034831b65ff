// Reviewing in a real VS Code (code-server): the inspector's compare mode between two stored
// workflows of a function, and the newest `llmfn eval` report opened as a Markdown preview.
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildEvalReport, evalMarkdown } from "../../src/engine/eval/evalReport";
import type { WorkflowFile } from "../../src/engine/workflow/types";
import { startSession, type E2eSession } from "./support/session";
import { clearNotifications, pickQuickItem, runCommand, screenshot, webviewFrame } from "./support/workbench";

const FUNCTION = "city_forecast";
const REPLANNED_ID = "0123456789ab";

/** Adds a later planning of city_forecast that drops the converter and writes highF as a literal. */
async function addReplannedWorkflow(folder: string): Promise<void> {
  const directory = join(folder, ".llm-function", "workflows");
  for (const file of await readdir(directory)) {
    const original = JSON.parse(await readFile(join(directory, file), "utf8")) as WorkflowFile;
    if (original.task.name !== FUNCTION) continue;
    const [geocode, forecast, , output] = original.steps;
    assert.ok(geocode && forecast && output);
    const replanned: WorkflowFile = {
      ...original,
      id: REPLANNED_ID,
      savedAt: "2030-01-01T09:00:00.000Z",
      steps: [geocode, forecast, { id: 3, tool: "output_model", args: { ...output.args, highF: { value: 57.2 } } }],
    };
    await writeFile(
      join(directory, `${original.inputId}_${REPLANNED_ID}_20300101T090000000Z.json`),
      JSON.stringify(replanned, null, 2),
    );
  }
}

/** A small evaluation report where `llmfn eval` writes it by default. */
async function addEvalReport(folder: string): Promise<void> {
  const run = {
    model: "qwen3:8b",
    function: FUNCTION,
    expectInfeasible: false,
    testsTotal: 3,
    llmCalls: 2,
    wallMs: 900,
    errorKinds: [],
  };
  const report = buildEvalReport(
    {
      startedAt: "2026-11-26T09:00:00.000Z",
      finishedAt: "2026-11-26T09:00:02.000Z",
      workspace: folder,
      endpoint: "ollama http://127.0.0.1:11434",
      runsPerFunction: 2,
      models: ["qwen3:8b"],
      functions: [{ name: FUNCTION, expectInfeasible: false }],
      cancelled: false,
    },
    [
      { ...run, run: 1, outcome: "completed", testsPassed: 3 },
      {
        ...run,
        run: 2,
        outcome: "failed",
        testsPassed: 0,
        llmCalls: 12,
        errorKinds: ["PLANNING_HF"],
        error: { kind: "PLANNING_HF", message: "Unknown tool weather" },
      },
    ],
  );
  const directory = join(folder, ".llm-function", "eval", "20261126T090002000Z");
  await mkdir(directory, { recursive: true });
  await writeFile(join(directory, "report.md"), evalMarkdown(report));
}

describe("reviewing workflows in code-server", () => {
  let session: E2eSession;

  before(async () => {
    session = await startSession({
      name: "review",
      example: "weather",
      prepare: async (folder) => {
        await addReplannedWorkflow(folder);
        await addEvalReport(folder);
      },
      // Nothing here plans: no LLM is reachable on this port.
      settings: { "llmFunction.ollama.host": "http://127.0.0.1:9" },
    });
  });

  after(async () => {
    await session?.close();
  });

  test("the inspector compares the newest workflow with an earlier one", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Inspect Workflow");
    await pickQuickItem(page, FUNCTION);
    const frame = await webviewFrame(page, '[data-testid="compare-select"]', 60_000);
    const select = frame.locator('[data-testid="compare-select"]');
    const older = await select.locator("option").nth(1).getAttribute("value");
    assert.ok(older);
    await select.selectOption(older);
    const comparison = frame.locator('[data-testid="comparison"]');
    await comparison.waitFor();
    const changes = frame.locator('[data-testid="compare-step"]');
    assert.deepEqual(await changes.evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.change)), [
      "unchanged",
      "unchanged",
      "removed",
      "changed",
    ]);
    const text = await comparison.innerText();
    assert.match(text, /celsius_to_fahrenheit/);
    assert.match(text, /highF: celsius_to_fahrenheit\.output\.fahrenheit → 57\.2/);
    assert.match(text, new RegExp(`to ${REPLANNED_ID}`));
    await clearNotifications(page);
    await screenshot(page, "inspector-compare");

    await select.selectOption("");
    await comparison.waitFor({ state: "detached" });
  });

  test("Open Evaluation Report shows the newest report as a Markdown preview", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Open Evaluation Report");
    const frame = await webviewFrame(page, 'h1:has-text("LLM Function evaluation")', 60_000);
    const body = await frame.locator("body").innerText();
    assert.match(body, /LLM Function evaluation/);
    assert.match(body, /1\/2 \(50\.0 %\)/);
    assert.match(body, /PLANNING_HF ×1/);
    await clearNotifications(page);
    await screenshot(page, "eval-report");
  });
});
