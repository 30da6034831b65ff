// A multi-root workspace in a real VS Code (code-server 4.100.3 driven by headless Chromium):
// a copy of examples/weather and a second folder with its own declarations and committed
// workflow. Each folder has its own runtime, storage and tool host, disposed with the folder.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import type { Locator, Page } from "playwright-core";
import { purposeOf, queueResponder, startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { REPO_ROOT } from "./support/paths";
import { descendants } from "./support/processes";
import { startSession, type E2eSession } from "./support/session";
import {
  answerInputBox,
  clearNotifications,
  openViewContainer,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  treeRows,
  viewPane,
  waitForNotification,
  webviewFrame,
} from "./support/workbench";

const MODEL = "qwen3:8b";
const NOTES = "notes";
const NOTES_FUNCTION = "text_stats";
const WEATHER_FUNCTIONS = ["city_forecast", "email_customer_forecast", "weather_headline"];
const CACHED_WEATHER = "weather_headline";

/** The second folder's declarations: one tool and one function, unrelated to the weather example. */
const NOTES_DECLARATIONS = `import { llmFunction, tool } from "llm-function";
import { z } from "zod";

export const countWords = tool(
  {
    name: "count_words",
    description: "Count the words and the characters of a text.",
    input: z.object({ text: z.string() }),
    output: z.object({ words: z.number(), characters: z.number() }),
  },
  ({ text }) => ({ words: text.trim().split(/\\s+/).filter(Boolean).length, characters: text.length }),
);

export const textStats = llmFunction({
  name: "${NOTES_FUNCTION}",
  description: "How long a text is: its number of words and of characters.",
  input: z.object({ text: z.string() }),
  output: z.object({ words: z.number(), characters: z.number() }),
  tests: [{ input: { text: "hello big world" }, expected: { words: 3, characters: 15 } }],
});
`;

const feasible = { justification: "count_words gives both output fields.", decision: true };
const textStatsPlan = {
  steps: [
    { name: "count_words", args: { text: "input.output.text" } },
    { name: "output_model", args: { words: "count_words.output.words", characters: "count_words.output.characters" } },
  ],
};
const planningScript = () => queueResponder({ check: [{ json: feasible }], plan: [{ json: textStatsPlan }] });

const run = promisify(execFile);

/** Creates the notes folder next to the weather copy and plans its function with the CLI, as a user would before committing. */
async function createNotesFolder(root: string, ollama: ScriptedOllama): Promise<string> {
  const folder = join(root, NOTES);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "notes.llm.ts"), NOTES_DECLARATIONS);
  await run(
    process.execPath,
    [
      join(REPO_ROOT, "dist/cli.js"),
      "plan",
      NOTES_FUNCTION,
      "--workspace",
      folder,
      "--host",
      ollama.url,
      "--model",
      MODEL,
    ],
    {
      cwd: folder,
    },
  );
  return folder;
}

interface StoredTask {
  file: string;
  name: string;
}

/** The workflow files of a folder's storage, with the function each is for. */
async function storedWorkflows(folder: string): Promise<StoredTask[]> {
  const directory = join(folder, ".llm-function/workflows");
  const files = (await readdir(directory)).filter((file) => file.endsWith(".json")).sort();
  return Promise.all(
    files.map(async (file) => {
      const workflow = JSON.parse(await readFile(join(directory, file), "utf8")) as { task?: { name?: string } };
      return { file, name: workflow.task?.name ?? "" };
    }),
  );
}

/** Pids of the tool host processes the server's extension host runs. */
function toolHostPids(serverPid: number): number[] {
  return descendants(serverPid)
    .filter((entry) => entry.command.includes("toolHost.js"))
    .map((entry) => entry.pid)
    .sort((a, b) => a - b);
}

async function waitFor(
  page: Page,
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await page.waitForTimeout(200);
  }
}

/** The text Monaco renders (it draws spaces as no-break spaces). */
async function editorText(lines: Locator): Promise<string> {
  return (await lines.innerText()).replace(/\u00a0/g, " ");
}

/** The labels of a tree's rows in display order, with their nesting level. */
async function treeOutline(pane: Locator): Promise<{ level: number; label: string }[]> {
  const rows = pane.locator(".monaco-list-row");
  const outline: { level: number; label: string }[] = [];
  for (let index = 0; index < (await rows.count()); index++) {
    const row = rows.nth(index);
    outline.push({
      level: Number(await row.getAttribute("aria-level")),
      label: (await row.locator(".label-name").innerText()).trim(),
    });
  }
  return outline;
}

/** Runs a function through the palette and returns the JSON result shown in the editor. */
async function runFromPalette(page: Page, name: string, input: unknown, expectedText: string): Promise<unknown> {
  await runCommand(page, "LLM Function: Run Function");
  await pickQuickItem(page, name);
  await answerInputBox(page, JSON.stringify(input));
  await waitForNotification(page, new RegExp(`${name} finished in [\\d.]+ m?s \\(stored workflow\\)`));
  const editor = page.locator(".part.editor .monaco-editor .view-lines").filter({ hasText: expectedText });
  await editor.waitFor();
  return JSON.parse(await editorText(editor));
}

describe("LLM Function in a multi-root workspace", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;
  let weather: string;
  let notes: string;
  let workspaceFile: string;
  let weatherWorkflows: StoredTask[];

  before(async () => {
    ollama = await startScriptedOllama({ models: [MODEL], respond: planningScript() });
    session = await startSession({
      name: "multi-root",
      example: "weather",
      workspace: async (folder) => {
        weather = folder;
        notes = await createNotesFolder(dirname(folder), ollama);
        workspaceFile = join(dirname(folder), "multi.code-workspace");
        await writeFile(workspaceFile, JSON.stringify({ folders: [{ path: "weather" }, { path: NOTES }] }, null, 2));
        return workspaceFile;
      },
      settings: { "llmFunction.ollama.host": ollama.url, "llmFunction.ollama.model": MODEL },
    });
    weatherWorkflows = await storedWorkflows(weather);
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("the CLI planned the notes function into the notes folder's own storage", async () => {
    assert.deepEqual(ollama.requests.map(purposeOf), ["check", "plan"]);
    assert.deepEqual(
      (await storedWorkflows(notes)).map((stored) => stored.name),
      [NOTES_FUNCTION],
    );
  });

  test("the Functions view shows each folder as its own node with its own functions", async () => {
    const { page } = session;
    await openViewContainer(page, "LLM Function");
    const functions = await viewPane(page, "Functions");
    await treeRows(functions, NOTES_FUNCTION).filter({ hasText: "ready" }).waitFor();
    for (const name of WEATHER_FUNCTIONS) await treeRows(functions, name).waitFor();
    const outline = await treeOutline(functions);
    const weatherAt = outline.findIndex((row) => row.level === 1 && row.label === "weather");
    const notesAt = outline.findIndex((row) => row.level === 1 && row.label === NOTES);
    assert.ok(
      weatherAt >= 0 && notesAt > weatherAt,
      `two folder nodes, weather then notes: ${JSON.stringify(outline)}`,
    );
    const childrenOf = (start: number, end: number) =>
      outline
        .slice(start + 1, end)
        .filter((row) => row.level === 2)
        .map((row) => row.label);
    assert.deepEqual(childrenOf(weatherAt, notesAt), WEATHER_FUNCTIONS);
    assert.deepEqual(childrenOf(notesAt, outline.length), [NOTES_FUNCTION]);
  });

  test("the Run Function quick pick names each function's folder, and runs the notes function from its committed workflow", async () => {
    const { page } = session;
    const before = ollama.requests.length;
    await runCommand(page, "LLM Function: Run Function");
    const rows = quickInput(page).locator(".monaco-list-row");
    await rows.first().waitFor();
    const row = (name: string) =>
      rows.filter({ has: page.locator(".label-name", { hasText: new RegExp(`^\\s*${name}\\s*$`) }) });
    assert.match(await row(NOTES_FUNCTION).locator(".label-description").innerText(), new RegExp(`^${NOTES}$`));
    assert.match(await row(CACHED_WEATHER).locator(".label-description").innerText(), /^weather$/);
    await page.keyboard.press("Escape");

    const result = await runFromPalette(page, NOTES_FUNCTION, { text: "one two three four" }, '"words": 4');
    assert.deepEqual(result, { words: 4, characters: 18 });
    assert.equal(ollama.requests.length, before, "a committed workflow runs without any LLM call");
  });

  test("a replan from the extension stores the workflow in its own folder's storage only", async () => {
    const { page } = session;
    ollama.setResponder(planningScript());
    const notesBefore = await storedWorkflows(notes);
    await runCommand(page, "LLM Function: Plan / Replan Function");
    await pickQuickItem(page, NOTES_FUNCTION);
    await waitForNotification(page, new RegExp(`Planned ${NOTES_FUNCTION}: 1 tool step`), 60_000);

    const notesAfter = await storedWorkflows(notes);
    assert.equal(notesAfter.length, notesBefore.length + 1, "the new workflow is in notes/.llm-function/workflows");
    assert.ok(notesAfter.every((stored) => stored.name === NOTES_FUNCTION));
    assert.deepEqual(await storedWorkflows(weather), weatherWorkflows, "the weather folder's storage is untouched");
    assert.ok(weatherWorkflows.every((stored) => WEATHER_FUNCTIONS.includes(stored.name)));
    const rootEntries = await readdir(dirname(workspaceFile));
    assert.ok(
      !rootEntries.includes(".llm-function"),
      `nothing is stored next to the workspace file: ${rootEntries.join(", ")}`,
    );

    // The weather folder runs too, in its own runtime.
    const headline = await runFromPalette(page, CACHED_WEATHER, { city: "tokyo" }, "rainy season arrives");
    assert.deepEqual(headline, {
      headline: "Weather in Tokyo: rainy season arrives",
      url: "https://news.example.com/tokyo-tsuyu",
      country: "Japan",
    });

    const functions = await viewPane(page, "Functions");
    await treeRows(functions, NOTES_FUNCTION).filter({ hasText: "ready" }).waitFor();
    await clearNotifications(page);
    await screenshot(page, "multi-root");
  });

  test("removing a folder from the workspace disposes its session and tool host; the other folder keeps running", async () => {
    const { page, server } = session;
    await waitFor(page, "both folders have a tool host", () => toolHostPids(server.pid).length === 2);
    const hostsBefore = toolHostPids(server.pid);
    // An inspector left open on the folder must neither keep its runtime alive nor revive it.
    await runCommand(page, "LLM Function: Inspect Workflow");
    await pickQuickItem(page, NOTES_FUNCTION);
    await webviewFrame(page, '[data-testid="graph-node"]', 30_000);
    const inspectorTab = page.locator(".part.editor .tab", { hasText: `Workflow: ${NOTES_FUNCTION}` });
    await inspectorTab.waitFor();

    await runCommand(page, "Workspaces: Remove Folder from Workspace...");
    await pickQuickItem(page, NOTES);
    await waitFor(page, "one tool host is left", () => toolHostPids(server.pid).length === 1);
    const [survivor] = toolHostPids(server.pid);
    assert.ok(survivor !== undefined && hostsBefore.includes(survivor));

    await inspectorTab.waitFor({ state: "detached" });
    const functions = await viewPane(page, "Functions");
    await treeRows(functions, NOTES_FUNCTION).waitFor({ state: "detached" });
    await treeRows(functions, CACHED_WEATHER).waitFor();
    const saved = JSON.parse(await readFile(workspaceFile, "utf8")) as { folders: { path: string }[] };
    assert.deepEqual(
      saved.folders.map((folder) => folder.path),
      ["weather"],
    );

    // The surviving host is the weather folder's: running a weather function starts no other.
    const headline = await runFromPalette(page, CACHED_WEATHER, { city: "Denver" }, "afternoon thunderstorms");
    assert.deepEqual(headline, {
      headline: "Weather in Denver: afternoon thunderstorms",
      url: "https://news.example.com/denver-storms",
      country: "United States",
    });
    assert.deepEqual(toolHostPids(server.pid), [survivor], "the removed folder's tool host was the one that ended");
  });

  test("a folder added back to the workspace gets a new runtime on demand", async () => {
    const { page, server } = session;
    const hostsBefore = toolHostPids(server.pid);
    // Editing the workspace file is the other way folders come and go.
    await writeFile(workspaceFile, JSON.stringify({ folders: [{ path: "weather" }, { path: NOTES }] }, null, 2));
    const functions = await viewPane(page, "Functions");
    await treeRows(functions, NOTES_FUNCTION).filter({ hasText: "ready" }).waitFor();
    const result = await runFromPalette(page, NOTES_FUNCTION, { text: "back again" }, '"words": 2');
    assert.deepEqual(result, { words: 2, characters: 10 });
    const hostsAfter = toolHostPids(server.pid);
    assert.equal(hostsAfter.length, 2, `one tool host per folder: ${hostsAfter.join(", ")}`);
    assert.ok(
      hostsBefore.every((pid) => hostsAfter.includes(pid)),
      "the weather folder kept its tool host",
    );
  });
});
