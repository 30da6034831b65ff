// The side panel when a declaration file stops compiling: the broken file is named with a way to
// its errors, the other files' functions and every stored workflow stay, and no view logs errors.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { startSession, type E2eSession } from "./support/session";
import { openViewContainer, screenshot, treeRows, viewPane } from "./support/workbench";

describe("Side panel with a declaration file that does not compile", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;
  const consoleErrors: string[] = [];

  before(async () => {
    ollama = await startScriptedOllama();
    session = await startSession({
      name: "panel",
      example: "weather",
      settings: { "llmFunction.ollama.host": ollama.url },
    });
    session.page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("names the broken file with a link to Problems and keeps the other functions and all stored workflows", async () => {
    const { page, example } = session;
    await openViewContainer(page, "LLM Function");
    const functions = await viewPane(page, "Functions");
    await treeRows(functions, "city_forecast").first().waitFor({ timeout: 60_000 });

    // functions.llm.ts declares the three functions; office.llm.ts declares one more in this copy.
    const office = join(example.folder, "office.llm.ts");
    await writeFile(
      office,
      `${await readFile(office, "utf8")}\nimport { llmFunction as declare } from "llm-function";\nexport const shout = declare({ name: "shout", description: "Upper-case a text.", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) });\n`,
    );
    await treeRows(functions, "shout").first().waitFor({ timeout: 30_000 });
    const file = join(example.folder, "functions.llm.ts");
    const source = await readFile(file, "utf8");
    await writeFile(file, source.replace("});", "}"));

    await treeRows(functions, "functions.llm.ts does not compile").first().waitFor({ timeout: 30_000 });
    await treeRows(functions, "shout").first().waitFor();
    assert.equal(await functions.locator(".welcome-view-content").count(), 0, "no misleading empty-state text");
    const workflows = await viewPane(page, "Workflows");
    for (const name of ["city_forecast", "weather_headline", "email_customer_forecast"]) {
      await treeRows(workflows, name).filter({ hasText: "not loaded" }).first().waitFor();
    }
    assert.equal(await workflows.locator(".welcome-view-content").count(), 0);
    await screenshot(page, "compile-error-panel");

    await treeRows(functions, "functions.llm.ts does not compile").first().click();
    const problems = page.locator(".markers-panel");
    await problems.waitFor();
    await problems
      .locator(".monaco-list-row", { hasText: /Expected "\)"/ })
      .first()
      .waitFor();
    await screenshot(page, "compile-error-problems");

    await writeFile(file, source);
    await treeRows(functions, "city_forecast").first().waitFor({ timeout: 30_000 });
    await treeRows(functions, "functions.llm.ts does not compile").first().waitFor({ state: "detached" });
    const treeErrors = consoleErrors.filter((text) => /No tree item with id/.test(text));
    assert.deepEqual(treeErrors, [], "views never asked for items a refresh had dropped");
  });
});
