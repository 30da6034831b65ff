import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { LlmFunction } from "../../src/engine/llmFunction";
import { moduleToolSource } from "../../src/engine/moduleToolSource";
import { createRuntime } from "../../src/engine/runtime/llmFunctionRuntime";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { unusedLoopbackUrl } from "../support/llmScript";
import { settingsFor } from "./workspaceFixtures";

// The same workflow files serve the extension, the CLI and the user's own code: a tool must
// have the same id whether the tool host loads it from a bundle or a program imports it.
test("a tool's id is the same in the tool host and when its file is imported by a program", async () => {
  const folder = join(__dirname, "..", "..", "examples", "weather");
  const imported = new Map<string, string>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".llm.ts"))) {
    for (const tool of await moduleToolSource(join(folder, file)).load()) imported.set(tool.name, tool.id);
  }
  const session = await WorkspaceSession.open(settingsFor(folder, { toolTimeoutMs: 30_000 }));
  try {
    const discovered = new Map(session.discovery.tools.map((tool) => [tool.name, tool.id]));
    assert.equal(discovered.size, 7);
    assert.deepEqual(discovered, imported);
  } finally {
    await session.dispose();
  }
});

test("a program imports the example's function and runs it from the committed workflow, with no LLM", async () => {
  const folder = join(__dirname, "..", "..", "examples", "weather");
  const files = readdirSync(folder).filter((name) => name.endsWith(".llm.ts"));
  const runtime = await createRuntime({
    config: {
      llm: { type: "ollama", host: await unusedLoopbackUrl(), model: "unused" },
      storagePath: join(folder, ".llm-function"),
    },
    sources: files.map((file) => moduleToolSource(join(folder, file))),
  });
  const { cityForecast } = (await import(join(folder, "functions.llm.ts"))) as { cityForecast: LlmFunction };
  const forecast = cityForecast.withRuntime(runtime);
  assert.deepEqual(await forecast({ city: "Paris" }), {
    city: "Paris",
    country: "France",
    condition: "sunny",
    highC: 14,
    highF: 57.2,
  });
});
