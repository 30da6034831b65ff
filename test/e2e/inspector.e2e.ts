// The Workflow Inspector in a real VS Code: the data-flow graph, keyboard navigation, node details,
// in-place updates, restoring after a reload, and contrast in light, dark and high-contrast themes.
import assert from "node:assert/strict";
import { copyFile, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Frame, Page } from "playwright-core";
import type { WorkflowFile } from "../../src/engine/workflow/types";
import { dataFlowEdges } from "../../src/extension/inspector/inspectorModel";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { lowContrastTexts } from "./support/contrast";
import { startSession, type E2eSession } from "./support/session";
import {
  answerInputBox,
  clearNotifications,
  pickQuickItem,
  reloadWindow,
  runCommand,
  screenshot,
  waitForNotification,
  webviewFrame,
} from "./support/workbench";

const FUNCTION = "email_customer_forecast";
const NODE = '[data-testid="graph-node"]';

async function committedWorkflow(folder: string): Promise<{ file: string; workflow: WorkflowFile }> {
  const directory = join(folder, ".llm-function/workflows");
  for (const name of await readdir(directory)) {
    const workflow = JSON.parse(await readFile(join(directory, name), "utf8")) as WorkflowFile;
    if (workflow.task.name === FUNCTION) return { file: join(directory, name), workflow };
  }
  throw new Error(`the example has no workflow of ${FUNCTION}`);
}

/** The `data-step` of the element focused inside the webview, if it is a graph node. */
function focusedStep(frame: Frame): Promise<string | undefined> {
  return frame.evaluate(() => (document.activeElement as HTMLElement | SVGElement | null)?.dataset?.step);
}

async function openInspector(page: Page): Promise<Frame> {
  await runCommand(page, "LLM Function: Inspect Workflow");
  await pickQuickItem(page, FUNCTION);
  return webviewFrame(page, NODE, 30_000);
}

describe("Workflow Inspector in code-server", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;
  let settings: Record<string, unknown>;

  before(async () => {
    ollama = await startScriptedOllama();
    settings = { "llmFunction.ollama.host": ollama.url };
    session = await startSession({ name: "inspector", example: "weather", settings });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("draws the real data flow, moves by keyboard and shows a node's wiring and last run", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Run Function");
    await pickQuickItem(page, FUNCTION);
    await answerInputBox(page, JSON.stringify({ email: "ada@example.com" }));
    await waitForNotification(page, new RegExp(`${FUNCTION} finished in [\\d.]+ m?s`));
    const frame = await openInspector(page);

    const { workflow } = await committedWorkflow(session.example.folder);
    const nodes = frame.locator(NODE);
    assert.equal(await nodes.count(), workflow.steps.length + 1, "the input, every tool step and the output");
    const drawn = await frame
      .locator('[data-testid="graph-edge"]')
      .evaluateAll((paths) =>
        paths.map((path) => `${path.getAttribute("data-from")}>${path.getAttribute("data-to")}`).sort(),
      );
    assert.deepEqual(
      drawn,
      dataFlowEdges(workflow)
        .map((edge) => `${edge.from}>${edge.to}`)
        .sort(),
      "one edge per step read, none for mere order",
    );
    assert.ok(drawn.includes("1>4"), "compose_email reads the customer found two steps earlier");
    assert.ok(!drawn.includes("3>5"), "send_email reads nothing of the forecast");
    assert.equal(
      await frame.locator('[data-testid="edge-label"][data-from="2"][data-to="3"] text').textContent(),
      "lat, lon",
    );

    await nodes.first().click();
    assert.equal(await focusedStep(frame), "0");
    await page.keyboard.press("ArrowDown");
    assert.equal(await focusedStep(frame), "1");
    await page.keyboard.press("End");
    assert.equal(await focusedStep(frame), String(workflow.steps.at(-1)?.id));
    await page.keyboard.press("Home");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    assert.equal(await focusedStep(frame), "3");
    const details = frame.locator('[data-testid="node-details"][data-step="3"]');
    await details.waitFor();
    assert.deepEqual(
      await details
        .locator('[data-testid="arg-row"]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-arg"))),
      ["lat", "lon"],
    );
    const lastRun = await details.locator('[data-testid="node-last-run"]').innerText();
    assert.match(lastRun, /Run 1 .* · [\d.]+ m?s/, "the step's last run, with a rounded duration");
    assert.doesNotMatch(lastRun, /\d\.\d{3,} ms|\d{4}-\d\d-\d\dT/, "no raw float durations nor ISO times");
    await clearNotifications(page);
    await screenshot(page, "inspector-graph");
    await details.scrollIntoViewIfNeeded();
    await screenshot(page, "inspector-node-details");
  });

  test("an update patches the page in place (open sections and focus survive); a reload restores the inspector, open sections too", async () => {
    const { page } = session;
    let frame = await webviewFrame(page, NODE);
    await frame.locator('details[data-disclosure="run-1-input"] > summary').click();
    await frame.locator('[data-testid="graph-node"][data-step="3"]').focus();
    // Another workflow file appears (a teammate's commit): the extension posts a new state.
    const { file } = await committedWorkflow(session.example.folder);
    await copyFile(file, file.replace(/_[0-9a-f]+_\d{8}T\d{9}Z\.json$/, "_0123456789ab_20200101T000000000Z.json"));
    await frame
      .locator('[data-testid="workflow-select"] option')
      .nth(1)
      .waitFor({ state: "attached", timeout: 30_000 });
    assert.equal(
      await frame.locator('details[data-disclosure="run-1-input"]').getAttribute("open"),
      "",
      "the section the reader opened stays open",
    );
    assert.equal(await focusedStep(frame), "3", "the focused node keeps the focus");

    await reloadWindow(page);
    frame = await webviewFrame(page, NODE, 60_000);
    await frame.locator('[data-testid="graph-node"][data-step="3"][aria-current="true"]').waitFor();
    await frame.locator('[data-testid="node-details"][data-step="3"]').waitFor();
    assert.equal(await frame.locator('[data-testid="function-name"]').textContent(), FUNCTION);
    // The run history is kept in workspace state: the run made before the reload is still listed.
    await frame.locator('[data-testid="run-entry"]', { hasText: "Run 1" }).waitFor();
    // The webview state VS Code keeps across reloads brings back the section the reader opened.
    await frame.locator('details[data-disclosure="run-1-input"][open]').waitFor({ timeout: 30_000 });
  });

  for (const [theme, name, bodyClass] of [
    ["Light Modern", "light", "vscode-light"],
    ["Dark Modern", "dark", "vscode-dark"],
    ["Dark High Contrast", "high-contrast", "vscode-high-contrast"],
  ] as const) {
    test(`every text has 4.5:1 contrast in the ${name} theme`, async () => {
      const { page } = session;
      await runCommand(page, "Preferences: Color Theme");
      await pickQuickItem(page, theme);
      const frame = await webviewFrame(page, NODE);
      await frame.waitForFunction(
        (wanted) => document.body.classList.contains(wanted) && !document.body.classList.contains(`${wanted}-light`),
        bodyClass,
        { timeout: 30_000 },
      );
      await frame.locator('[data-testid="graph-node"][data-step="3"]').click();
      await frame.locator('[data-testid="node-details"][data-step="3"]').waitFor();
      const report = await lowContrastTexts(frame);
      assert.deepEqual(report.failures, []);
      assert.ok(report.measured >= 40, `only ${report.measured} texts were measured`);
      await screenshot(page, `inspector-${name}`);
    });
  }
});
