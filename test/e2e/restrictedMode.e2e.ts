// Workspace Trust on and the folder left untrusted: the extension loads and runs nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { descendantCommands } from "./support/processes";
import { startSession, type E2eSession } from "./support/session";
import { openViewContainer, quickInput, screenshot, viewPane } from "./support/workbench";

const TRUST_MESSAGE = /loads and runs no workspace code in Restricted Mode/;

describe("LLM Function in an untrusted folder", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;

  before(async () => {
    ollama = await startScriptedOllama({
      respond: () => ({ status: 500, error: "an untrusted workspace must not call the LLM" }),
    });
    session = await startSession({
      name: "restricted",
      example: "weather",
      workspaceTrust: true,
      settings: { "llmFunction.ollama.host": ollama.url },
    });
    // VS Code asks on opening; the user declines.
    const page = session.page;
    await page
      .locator(".monaco-dialog-box")
      .getByRole("button", { name: /No, I don't trust the authors/ })
      .click();
    await page.locator(".monaco-dialog-box").waitFor({ state: "detached" });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("the views say why nothing is shown and how to trust the folder", async () => {
    const { page } = session;
    await openViewContainer(page, "LLM Function");
    for (const title of ["Functions", "Workflows", "Tools"]) {
      const pane = await viewPane(page, title);
      await pane.locator(".welcome-view-content", { hasText: TRUST_MESSAGE }).waitFor();
      await pane.getByRole("button", { name: "Manage Workspace Trust" }).waitFor();
      assert.equal(await pane.locator(".monaco-list-row").count(), 0, `${title} lists nothing`);
    }
    await screenshot(page, "restricted-side-panel");
  });

  test("the palette offers no command that runs workspace code, and no workspace code or LLM call happens", async () => {
    const { page, server } = session;
    await page.keyboard.press("Control+Shift+P");
    await quickInput(page).locator(".quick-input-box input").waitFor();
    await page.keyboard.type("LLM Function:");
    const rows = quickInput(page).locator(".monaco-list-row");
    // The commands that need no workspace code are there; those that run it are disabled and hidden.
    await rows.filter({ hasText: "LLM Function: Show Log" }).waitFor();
    const offered = await rows.allInnerTexts();
    for (const title of ["Run Function", "Plan / Replan Function", "Inspect Workflow", "Delete Workflow"]) {
      assert.ok(
        !offered.some((row) => row.includes(`LLM Function: ${title}`)),
        `${title} is not offered: ${offered.join(" | ")}`,
      );
    }
    await page.keyboard.press("Escape");
    const toolHosts = descendantCommands(server.pid).filter((command) => command.includes("toolHost.js"));
    assert.deepEqual(toolHosts, [], "no tool host process was started");
    assert.equal(ollama.requests.length, 0);
  });
});
