import { rm } from "node:fs/promises";
import type { RuntimeConfigInput } from "../../../src/engine/config";
import type { Logger } from "../../../src/engine/logger";
import { createRuntime, type LlmFunctionRuntime } from "../../../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../../../src/engine/toolRegistry";
import type { Tool } from "../../../src/engine/tools/tool";
import { startScriptedOllama, type ChatResponder, type ScriptedOllama } from "../../support/scriptedOllamaServer";
import { tempFolder } from "../../support/tempFolders";
import { weatherTools } from "../../support/weatherTools";

/** A logger that keeps what it was told, so tests can assert on warnings. */
export function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export interface Harness {
  server: ScriptedOllama;
  storage: string;
  runtime(options?: {
    tools?: Tool[];
    config?: Partial<RuntimeConfigInput>;
    logger?: Logger;
    host?: string;
  }): Promise<LlmFunctionRuntime>;
  close(): Promise<void>;
}

/** A scripted Ollama on loopback plus a temporary storage folder, reached through the real client. */
export async function startHarness(respond?: ChatResponder): Promise<Harness> {
  const server = await startScriptedOllama(respond ? { respond } : {});
  const storage = await tempFolder("llmfn-engine-");
  return {
    server,
    storage,
    runtime: (options = {}) =>
      createRuntime({
        config: {
          llm: { type: "ollama", host: options.host ?? server.url, model: "qwen3:8b" },
          storagePath: storage,
          llmTimeoutMs: 5_000,
          ...options.config,
        },
        sources: [inMemoryToolSource(options.tools ?? weatherTools)],
        ...(options.logger ? { logger: options.logger } : {}),
      }),
    close: async () => {
      await server.close();
      await rm(storage, { recursive: true, force: true });
    },
  };
}
