import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { silentLogger } from "../../../src/engine/logger";
import { WorkflowStore } from "../../../src/engine/storage/workflowStore";
import type { WorkflowFile } from "../../../src/engine/workflow/types";
import { tempFolder } from "../../support/tempFolders";

function workflow(id: string): WorkflowFile {
  return {
    formatVersion: 1,
    id,
    inputId: "a".repeat(64),
    savedAt: "2026-12-02T10:00:00.000Z",
    task: {
      name: "double",
      description: "Double a number.",
      inputSchema: { type: "object", properties: { n: { type: "number" } } },
      outputSchema: { type: "object", properties: { n: { type: "number" } } },
    },
    model: "ollama http://127.0.0.1:11434 qwen3:8b",
    initCheck: { decision: true, justification: "ok", votes: 1 },
    planningPossible: true,
    completed: true,
    steps: [{ id: 1, tool: "output_model", args: { n: { ref: "input.output.n" } } }],
    history: [],
    lastError: null,
    stats: { llmCalls: 2, promptChars: 100, retries: 0, loops: 1, durationMs: 12 },
  };
}

describe("WorkflowStore", () => {
  it("gives every read a workflow of its own, though a text is parsed once a process", async () => {
    const store = new WorkflowStore(await tempFolder("llmfn-store-"), silentLogger);
    assert.ok((await store.save(workflow("b1"))).ok);
    const [first] = await store.list();
    assert.ok(first);
    first.workflow.steps.length = 0;
    first.workflow.task.name = "changed";
    // Another store of the same folder, as the CLI reads storage before and after building its runtime.
    const [again] = await new WorkflowStore(store.directory.replace(/workflows$/, ""), silentLogger).list();
    assert.deepEqual(again?.workflow, workflow("b1"));
    assert.notEqual(again?.workflow, first.workflow);
  });

  it("reads a file again when its text changed, and skips it when it no longer parses", async () => {
    const store = new WorkflowStore(await tempFolder("llmfn-store-"), silentLogger);
    assert.ok((await store.save(workflow("b2"))).ok);
    const [name] = await readdir(store.directory);
    assert.equal((await store.list())[0]?.workflow.completed, true);
    await writeFile(join(store.directory, name!), JSON.stringify({ ...workflow("b2"), completed: false }));
    assert.equal((await store.list())[0]?.workflow.completed, false);
    await writeFile(join(store.directory, name!), "{ not json");
    const warnings: string[] = [];
    const listed = await new WorkflowStore(store.directory.replace(/workflows$/, ""), {
      ...silentLogger,
      warn: (message) => warnings.push(message),
    }).list();
    assert.deepEqual(listed, []);
    assert.match(warnings.join("\n"), /Skipping workflow file .*not JSON/);
  });
});
