// Running a function as a user does: the input box (prefill, cursor, test inputs), the input
// editor validated against the schema, a failed planning replayed from storage, result tabs.
import assert from "node:assert/strict";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Page } from "playwright-core";
import { WEATHER_PLANS } from "../cli/weatherPlans";
import { purposeOf, queueResponder, startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { startSession, type E2eSession } from "./support/session";
import {
  clearNotifications,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  UI_TIMEOUT_MS,
  waitForNotification,
} from "./support/workbench";

const FUNCTION = "city_forecast";
const refusal = { justification: "No tool here gives a forecast for a city.", decision: false };
const feasible = {
  justification: "geocode, forecast and the unit conversion cover every output field.",
  decision: true,
};

async function forgetWorkflows(folder: string): Promise<void> {
  const directory = join(folder, ".llm-function/workflows");
  for (const file of await readdir(directory)) {
    const workflow = JSON.parse(await readFile(join(directory, file), "utf8")) as { task?: { name?: string } };
    if (workflow.task?.name === FUNCTION) await rm(join(directory, file));
  }
}

/** The first file named `name` under `root`. */
async function findFile(root: string, name: string): Promise<string> {
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === name) return join(entry.parentPath, entry.name);
  }
  throw new Error(`no ${name} under ${root}`);
}

function inputBox(page: Page) {
  return quickInput(page).locator(".quick-input-box input");
}

/** The input box's text and its selection (start, end). */
async function inputState(page: Page): Promise<{ value: string; start: number | null; end: number | null }> {
  return inputBox(page).evaluate((element: HTMLInputElement) => ({
    value: element.value,
    start: element.selectionStart,
    end: element.selectionEnd,
  }));
}

/** Waits until the input box shows `value`: the extension host fills it, a round trip after a show or a click. */
async function inputHolds(page: Page, value: string): Promise<void> {
  const element = await inputBox(page).elementHandle();
  await page.waitForFunction(
    ([input, wanted]) => (input as HTMLInputElement | null)?.value === wanted,
    [element, value] as const,
    {
      timeout: UI_TIMEOUT_MS,
    },
  );
}

async function openInputBox(page: Page): Promise<void> {
  await runCommand(page, "LLM Function: Run Function");
  await pickQuickItem(page, FUNCTION);
  await quickInput(page)
    .locator(".quick-input-title", { hasText: `JSON input for ${FUNCTION}` })
    .waitFor();
}

describe("Running a function in code-server", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;

  before(async () => {
    // The first planning is refused; the replan the user asks for succeeds.
    ollama = await startScriptedOllama({
      respond: queueResponder({
        check: [{ json: refusal }, { json: feasible }],
        plan: [{ json: { steps: WEATHER_PLANS.city_forecast?.steps } }],
      }),
    });
    session = await startSession({
      name: "run-flow",
      example: "weather",
      prepare: forgetWorkflows,
      settings: { "llmFunction.ollama.host": ollama.url },
    });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("the input box starts from a test input with the cursor placed, nothing selected, and cycles test inputs", async () => {
    const { page } = session;
    await openInputBox(page);
    await inputHolds(page, JSON.stringify({ city: "Paris" }));
    const first = await inputState(page);
    assert.equal(first.value, JSON.stringify({ city: "Paris" }));
    assert.equal(first.start, first.end, "nothing is selected: typing does not replace the whole JSON");
    await quickInput(page)
      .locator(".quick-input-message, .quick-input-header", { hasText: "test input 1" })
      .first()
      .waitFor();
    await quickInput(page).locator('.action-label[aria-label="Fill in the next test input"]').click();
    await inputHolds(page, JSON.stringify({ city: "oslo" }));
    await inputBox(page).fill(JSON.stringify({ city: "Paris" }));
    await inputBox(page).press("Enter");
    const toast = await waitForNotification(page, /No tool here gives a forecast/, 60_000);
    assert.doesNotMatch(await toast.innerText(), /^\s*(city_forecast: )?INIT_CHECK/, "the message leads, not the code");
  });

  test("a failed planning replayed from storage says so and offers Replan and Inspect", async () => {
    const { page } = session;
    await clearNotifications(page);
    const before = ollama.requests.length;
    await openInputBox(page);
    // The last input comes back.
    await inputHolds(page, JSON.stringify({ city: "Paris" }));
    await inputBox(page).press("Enter");
    const toast = await waitForNotification(
      page,
      /stored result of the planning that failed on .*, repeated without asking the LLM/,
    );
    for (const button of ["Replan", "Inspect"]) await toast.locator(".monaco-button", { hasText: button }).waitFor();
    assert.equal(ollama.requests.length, before, "the stored result came back without an LLM call");
    // Toasts fade in: wait until it is drawn in full.
    await page.waitForFunction(
      (element) => element !== null && getComputedStyle(element).opacity === "1",
      await toast.elementHandle(),
    );
    await screenshot(page, "stored-failure-toast");
    await toast.locator(".monaco-button", { hasText: "Replan" }).click();
    await waitForNotification(page, new RegExp(`Planned ${FUNCTION}: 3 tool steps`), 60_000);
    assert.deepEqual(
      ollama.requests.slice(before).map((request) => purposeOf(request)),
      ["check", "plan"],
    );
  });

  test("a large input is edited in a file the JSON schema validates, and runs from its CodeLens", async () => {
    const { page } = session;
    await clearNotifications(page);
    await openInputBox(page);
    await quickInput(page)
      .locator('.action-label[aria-label="Edit in an editor, validated against the input schema"]')
      .click();
    const tab = page.locator(".tabs-container .tab", { hasText: `${FUNCTION}.input.json` });
    await tab.waitFor();
    const editor = page
      .locator(".part.editor .monaco-editor")
      .filter({ has: page.locator(".view-lines", { hasText: "$schema" }) });
    await editor.waitFor();
    // The input file is a real file in the extension's storage: an edit saved to it shows in the editor.
    const inputFile = await findFile(session.server.userDataDir, `${FUNCTION}.input.json`);
    const original = JSON.parse(await readFile(inputFile, "utf8")) as Record<string, unknown>;
    assert.match(
      String(original.$schema),
      /^file:\/\/.*city_forecast\.schema\.json$/,
      "the file names the function's input schema",
    );
    const setCity = (json: string) =>
      writeFile(inputFile, `{\n  "$schema": ${JSON.stringify(original.$schema)},\n  "city": ${json}\n}\n`);
    // JSON validation marks a wrong type as a warning; a valid input has no mark at all.
    const marks = editor.locator(".squiggly-error, .squiggly-warning");
    await setCity("5");
    await marks.first().waitFor({ timeout: 30_000 });
    await screenshot(page, "input-editor-invalid");
    await setCity('"Lima"');
    await marks.first().waitFor({ state: "detached", timeout: 30_000 });
    await editor.locator(".codelens-decoration a", { hasText: `Run ${FUNCTION} with this input` }).click();
    await waitForNotification(page, new RegExp(`${FUNCTION} finished in [\\d.]+ m?s`), 60_000);
    const result = page.locator(".part.editor .monaco-editor .view-lines", { hasText: '"country": "Peru"' });
    await result.waitFor();
    // Tabs count results, not runs: the failed runs before made none.
    await page.locator(".tabs-container .tab", { hasText: `${FUNCTION} result 1.json` }).waitFor();
    await screenshot(page, "input-editor-result");
  });
});
