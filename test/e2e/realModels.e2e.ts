// Issue 7 in a real VS Code (code-server driven by headless Chromium): a model missing on the
// host is pulled from the error notification, with progress and Cancel, and the inspector's
// planning history shows each call's usage and the model's thinking, collapsed.
import assert from "node:assert/strict";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { WEATHER_PLANS } from "../cli/weatherPlans";
import { queueResponder, startScriptedOllama, type ScriptedOllama } from "../support/scriptedOllamaServer";
import { startSession, type E2eSession } from "./support/session";
import {
  clearNotifications,
  pickQuickItem,
  runCommand,
  screenshot,
  waitForNotification,
  webviewFrame,
} from "./support/workbench";

const MODEL = "qwen3:8b";
const PLANNED = "city_forecast";
const THOUGHT = "The forecast needs coordinates, so geocode the city first.";

async function forgetWorkflows(folder: string, functionName: string): Promise<void> {
  const directory = join(folder, ".llm-function/workflows");
  for (const file of await readdir(directory)) {
    const workflow = JSON.parse(await readFile(join(directory, file), "utf8")) as { task?: { name?: string } };
    if (workflow.task?.name === functionName) await rm(join(directory, file));
  }
}

describe("real models in code-server", () => {
  let ollama: ScriptedOllama;
  let session: E2eSession;

  before(async () => {
    // The host has no model yet; it can pull the configured one, slowly enough to watch.
    ollama = await startScriptedOllama({
      models: [],
      pullable: [MODEL],
      pullStepDelayMs: 400,
      respond: queueResponder({
        check: [
          {
            json: { justification: "geocode, forecast and the conversion cover it.", decision: true },
            thinking: THOUGHT,
          },
        ],
        plan: [{ json: { steps: WEATHER_PLANS.city_forecast?.steps } }],
      }),
    });
    session = await startSession({
      name: "real-models",
      example: "weather",
      prepare: (folder) => forgetWorkflows(folder, PLANNED),
      settings: {
        "llmFunction.ollama.host": ollama.url,
        "llmFunction.ollama.model": MODEL,
        "llmFunction.ollama.think": "on",
      },
    });
  });

  after(async () => {
    await session?.close();
    await ollama?.close();
  });

  test("a model missing on the host is pulled from the notification, then planning goes on", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Plan / Replan Function");
    await pickQuickItem(page, PLANNED);
    const failure = await waitForNotification(page, /is not available at/, 60_000);
    await failure.getByRole("button", { name: "Pull Model" }).click();
    const progress = await waitForNotification(page, new RegExp(`Pulling ${MODEL} onto`), 30_000);
    await progress.getByText(/pulling 8eeb52dfb3bb: \d+ MB of 4 MB/).waitFor({ timeout: 30_000 });
    assert.ok(await progress.getByRole("button", { name: "Cancel" }).isVisible(), "the pull can be cancelled");
    await screenshot(page, "pull-model-progress");
    await waitForNotification(page, new RegExp(`Planned ${PLANNED}: 3 tool steps`), 60_000);
    assert.ok(ollama.models.includes(MODEL));
    assert.equal(
      ollama.requests.filter((r) => r.model === MODEL && r.think === true).length >= 2,
      true,
      "the retried planning thinks, as set",
    );
    await clearNotifications(page);
  });

  test("the inspector's planning history shows each call's usage, the sum, and the thinking collapsed", async () => {
    const { page } = session;
    await runCommand(page, "LLM Function: Inspect Workflow");
    await pickQuickItem(page, PLANNED);
    const frame = await webviewFrame(page, '[data-testid="planning-usage"]', 30_000);
    assert.match(
      await frame.locator('[data-testid="planning-usage"]').innerText(),
      /LLM usage, all calls: \d+ prompt \+ \d+ answer tokens/,
    );
    const calls = frame.locator('[data-testid="call-usage"]');
    assert.equal(await calls.count(), 2);
    assert.match(await calls.first().innerText(), /num_ctx \d+/);
    const thinking = frame.locator('[data-testid="history-entry"][data-stage="check"] details', {
      hasText: "thinking",
    });
    assert.equal(await thinking.getAttribute("open"), null, "thinking starts collapsed");
    await thinking.locator("summary").click();
    await frame.locator('[data-testid="call-thinking"]', { hasText: THOUGHT }).waitFor();
    await screenshot(page, "inspector-usage-thinking");
  });
});
