// The extension in a real VS Code (code-server 4.100.3 driven by headless Chromium) on a copy
// of examples/weather, against scripted Ollama servers. Run by `npm run test:e2e`.
import assert from "node:assert/strict";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Locator } from "playwright-core";
import { purposeOf, queueResponder, startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { descendantCommands } from "./support/processes";
import { startSession, type E2eSession } from "./support/session";
import {
  answerInputBox,
  changeSettingsInUi,
  clearNotifications,
  openViewContainer,
  pickQuickItem,
  runCommand,
  screenshot,
  treeRows,
  viewPane,
  waitForNotification,
  webviewFrame,
} from "./support/workbench";
import { WEATHER_PLANS } from "../cli/weatherPlans";

const MODEL = "qwen3:8b";
const SECOND_MODEL = "llama3.2:3b";
const PLANNED = "city_forecast";
const CACHED = "weather_headline";

const feasible = {
  justification: "geocode, forecast and the unit conversion cover every output field.",
  decision: true,
};

/** The plan a good model gives for city_forecast: the one the example's committed workflows come from. */
const planningScript = () =>
  queueResponder({ check: [{ json: feasible }], plan: [{ json: { steps: WEATHER_PLANS.city_forecast?.steps } }] });

/** Removes the committed workflows of one function from the copy, so running it needs planning. */
async function forgetWorkflows(folder: string, functionName: string): Promise<void> {
  const directory = join(folder, ".llm-function/workflows");
  for (const file of await readdir(directory)) {
    const workflow = JSON.parse(await readFile(join(directory, file), "utf8")) as { task?: { name?: string } };
    if (workflow.task?.name === functionName) await rm(join(directory, file));
  }
}

/** The text Monaco renders (it draws spaces as no-break spaces). */
async function editorText(lines: Locator): Promise<string> {
  return (await lines.innerText()).replace(/\u00a0/g, " ");
}

function purposes(server: ScriptedOllama): string[] {
  return server.requests.map((request) => purposeOf(request));
}

describe("LLM Function in code-server", () => {
  let first: ScriptedOllama;
  let second: ScriptedOllama;
  let session: E2eSession;

  before(async () => {
    first = await startScriptedOllama({ models: [MODEL], respond: planningScript() });
    second = await startScriptedOllama({ models: [SECOND_MODEL], respond: planningScript() });
    session = await startSession({
      name: "extension",
      example: "weather",
      prepare: (folder) => forgetWorkflows(folder, PLANNED),
      settings: { "llmFunction.ollama.host": first.url, "llmFunction.ollama.model": MODEL },
    });
  });

  after(async () => {
    await session?.close();
    await first?.close();
    await second?.close();
  });

  test("runs a function from its committed workflow through the command palette, with no LLM call", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Run Function");
    await pickQuickItem(page, CACHED);
    await answerInputBox(page, JSON.stringify({ city: "tokyo" }));
    await waitForNotification(page, new RegExp(`${CACHED} finished in [\\d.]+ m?s \\(stored workflow\\)`));
    const editor = page.locator(".part.editor .monaco-editor .view-lines");
    await editor.filter({ hasText: "Weather in Tokyo: rainy season arrives" }).waitFor();
    assert.deepEqual(JSON.parse(await editorText(editor)), {
      headline: "Weather in Tokyo: rainy season arrives",
      url: "https://news.example.com/tokyo-tsuyu",
      country: "Japan",
    });
    await screenshot(page, "result");
    assert.deepEqual(purposes(first), [], "a stored workflow runs without any LLM call");
  });

  test("plans a function that has no workflow and shows the new workflow in the side panel", async () => {
    const { page } = session;
    const sidebar = await openViewContainer(page, "LLM Function");
    const workflows = await viewPane(page, "Workflows");
    await treeRows(workflows, PLANNED).filter({ hasText: "0 workflows" }).waitFor();

    await runCommand(page, "LLM Function: Run Function");
    await pickQuickItem(page, PLANNED);
    await answerInputBox(page, JSON.stringify({ city: "Paris" }));
    await waitForNotification(
      page,
      new RegExp(`${PLANNED} finished in [\\d.]+ m?s \\(newly planned workflow\\)`),
      60_000,
    );
    const editor = page.locator(".part.editor .monaco-editor .view-lines").filter({ hasText: '"country": "France"' });
    await editor.waitFor();
    assert.deepEqual(JSON.parse(await editorText(editor)), {
      city: "Paris",
      country: "France",
      condition: "sunny",
      highC: 14,
      highF: 57.2,
    });
    assert.deepEqual(purposes(first), ["check", "plan"]);
    // Workspace code ran in its own process, not in the extension host.
    assert.ok(
      descendantCommands(session.server.pid).some((command) => command.includes("toolHost.js")),
      "a tool host process runs",
    );

    const group = treeRows(workflows, PLANNED).filter({ hasText: "1 workflow" });
    await group.waitFor();
    // Expanded, the group shows the new workflow with its status and step count.
    if ((await group.getAttribute("aria-expanded")) !== "true") await group.click();
    const planned = workflows.locator(`.monaco-list-row[aria-level="2"]`, { hasText: /\d+ steps?/ });
    await page.waitForFunction(
      (count) => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"]').length >= count,
      3,
    );
    assert.equal(await planned.count(), 3, "the two committed workflows and the new one");
    const functions = await viewPane(page, "Functions");
    await treeRows(functions, PLANNED).filter({ hasText: "ready" }).waitFor();
    assert.ok(await sidebar.isVisible());
    await clearNotifications(page);
    await screenshot(page, "side-panel");
  });

  test("opens the inspector and shows the planned workflow's steps in the webview", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Inspect Workflow");
    await pickQuickItem(page, PLANNED);
    const frame = await webviewFrame(page, '[data-testid="graph-node"]', 30_000);
    const nodes = frame.locator('[data-testid="graph-node"]');
    const text = (await nodes.allTextContents()).join("\n");
    for (const tool of ["geocode", "forecast", "celsius_to_fahrenheit"]) assert.match(text, new RegExp(tool));
    assert.ok(
      (await nodes.count()) >= 5,
      `expected the input, three tools and the output, got ${await nodes.count()} nodes`,
    );
    await nodes.filter({ hasText: "forecast" }).first().click();
    await frame
      .locator('[data-testid="node-details"] [data-testid="arg-row"][data-wiring="reference"]')
      .first()
      .waitFor();
    await clearNotifications(page);
    await screenshot(page, "inspector");
  });

  test("a changed llmFunction.ollama.host applies to the next call without a reload", async () => {
    const { page, server } = session;
    const before = first.requests.length;
    await changeSettingsInUi(page, server, "llmFunction.ollama", {
      "llmFunction.ollama.host": second.url,
      "llmFunction.ollama.model": SECOND_MODEL,
    });
    // The status bar shows the model in use, named as this extension's: once it names the new
    // one, the setting is live.
    await page.locator(".part.statusbar", { hasText: `LLM Function: ${SECOND_MODEL}` }).waitFor();

    await runCommand(page, "LLM Function: Plan / Replan Function");
    await pickQuickItem(page, PLANNED);
    await waitForNotification(page, new RegExp(`Planned ${PLANNED}: 3 tool steps`), 60_000);
    assert.deepEqual(purposes(second), ["check", "plan"]);
    assert.ok(second.requests.every((request) => request.model === SECOND_MODEL));
    assert.equal(first.requests.length, before, "the old endpoint got no request");
  });
});
