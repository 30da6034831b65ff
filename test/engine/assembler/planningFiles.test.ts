import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstat, mkdir, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { inputIdOf } from "../../../src/engine/runtime/taskOf";
import { MAX_STORED_FILE_BYTES } from "../../../src/engine/storage/storedFile";
import { cityHighF, cityHighFPlan } from "../../support/cityHighF";
import { contextFaithfulModel } from "../../support/contextFaithfulModel";
import { startScriptedOllama, type ScriptedOllama } from "../../support/scriptedOllamaServer";
import { syntheticCatalog } from "../../support/syntheticCatalog";
import { recordingLogger, startHarness, type Harness } from "./harness";

// A reader that opened a FIFO would wait for a writer forever: these tests would hang, so each
// has a time limit of its own.
const HANG_GUARD = { timeout: 30_000 };
const catalog = syntheticCatalog();
const spec = cityHighF.toSpec();

describe("files a planning reads besides workflows: the embeddings cache and the planning lock", () => {
  let server: ScriptedOllama;
  let h: Harness;
  before(async () => {
    server = await startScriptedOllama({
      models: ["qwen3:8b", "nomic-embed-text"],
      respond: contextFaithfulModel({ task: spec.description, plan: cityHighFPlan }),
    });
    h = await startHarness();
  });
  after(async () => {
    await server.close();
    await h.close();
  });

  const embedding = (storagePath: string) => ({
    storagePath,
    llm: { type: "ollama" as const, host: server.url, model: "qwen3:8b", embeddingModel: "nomic-embed-text" },
  });

  test(
    "a FIFO in place of the embeddings cache is never opened: a warning, a full embedding, a real cache after",
    HANG_GUARD,
    async () => {
      const storagePath = join(h.storage, "embed-fifo");
      const cache = join(storagePath, "embeddings", "nomic-embed-text.json");
      await mkdir(join(storagePath, "embeddings"), { recursive: true });
      execFileSync("mkfifo", [cache]);
      server.embedRequests.length = 0;
      const logger = recordingLogger();
      const planned = await (await h.runtime({ tools: catalog, config: embedding(storagePath), logger })).plan(spec);
      assert.ok(planned.ok && planned.value.completed, planned.ok ? "" : planned.error.message);
      assert.ok(
        logger.lines.some(
          (l) => l.level === "warn" && /Ignoring the embeddings cache .*not a regular file/.test(l.message),
        ),
      );
      assert.equal(
        server.embedRequests.reduce((total, r) => total + r.texts.length, 0),
        catalog.length + 1,
      );
      assert.ok((await lstat(cache)).isFile(), "the rebuilt cache replaced the FIFO");
    },
  );

  test("an embeddings cache over the size cap is not read", HANG_GUARD, async () => {
    const storagePath = join(h.storage, "embed-huge");
    const cache = join(storagePath, "embeddings", "nomic-embed-text.json");
    await mkdir(join(storagePath, "embeddings"), { recursive: true });
    await writeFile(cache, "");
    await truncate(cache, MAX_STORED_FILE_BYTES + 1); // sparse: costs no disk
    const logger = recordingLogger();
    const planned = await (await h.runtime({ tools: catalog, config: embedding(storagePath), logger })).plan(spec);
    assert.ok(planned.ok && planned.value.completed, planned.ok ? "" : planned.error.message);
    assert.ok(
      logger.lines.some(
        (l) => l.level === "warn" && /Ignoring the embeddings cache .*at most \d+ are read/.test(l.message),
      ),
    );
  });

  test(
    "a FIFO in place of the planning lock fails the planning at once, naming it, instead of hanging",
    HANG_GUARD,
    async () => {
      const storagePath = join(h.storage, "lock-fifo");
      const lock = join(storagePath, "locks", `${inputIdOf(spec)}.lock`);
      await mkdir(join(storagePath, "locks"), { recursive: true });
      execFileSync("mkfifo", [lock]);
      const requests = server.requests.length;
      const planned = await (await h.runtime({ tools: catalog, config: { storagePath } })).plan(spec);
      assert.ok(!planned.ok);
      assert.equal(planned.error.kind, "STORAGE");
      assert.ok(planned.error.message.includes(lock), planned.error.message);
      assert.match(planned.error.message, /not a regular file\. Remove it/);
      assert.equal(server.requests.length, requests, "nothing was asked of the LLM");
    },
  );
});

describe("a hung /api/embed", () => {
  test("costs one llmTimeoutMs, then tool selection goes on without embeddings", HANG_GUARD, async () => {
    const server = await startScriptedOllama({
      models: ["qwen3:8b", "nomic-embed-text"],
      embedDelayMs: 60_000,
      respond: contextFaithfulModel({ task: spec.description, plan: cityHighFPlan }),
    });
    const h = await startHarness();
    try {
      const logger = recordingLogger();
      const runtime = await h.runtime({
        tools: catalog,
        logger,
        config: {
          llmTimeoutMs: 1_500,
          llm: { type: "ollama", host: server.url, model: "qwen3:8b", embeddingModel: "nomic-embed-text" },
        },
      });
      const planned = await runtime.plan(spec);
      assert.ok(planned.ok && planned.value.completed, planned.ok ? "" : planned.error.message);
      assert.equal(server.embedRequests.length, 1, "one embedding call, given up on");
      assert.ok(
        logger.lines.some((l) => l.level === "warn" && /tool selection without embeddings: .*1500 ms/.test(l.message)),
        JSON.stringify(logger.lines.filter((l) => l.level === "warn")),
      );
    } finally {
      await server.close();
      await h.close();
    }
  });
});
