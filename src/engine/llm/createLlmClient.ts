import type { LlmBackendConfig } from "../config";
import type { Logger } from "../logger";
import type { LlmClient } from "./llmClient";
import { createOllamaClient } from "./ollamaClient";
import { createOpenAiClient } from "./openAiClient";

/** The LLM client for a configured backend. */
export function createLlmClient(config: LlmBackendConfig, logger?: Logger): LlmClient {
  switch (config.type) {
    case "ollama":
      return createOllamaClient({
        host: config.host,
        model: config.model,
        logger,
        ...(config.contextTokens === undefined ? {} : { contextTokens: config.contextTokens }),
        ...(config.keepAlive === undefined ? {} : { keepAlive: config.keepAlive }),
        ...(config.think === undefined ? {} : { think: config.think }),
        ...(config.embeddingModel === undefined ? {} : { embeddingModel: config.embeddingModel }),
      });
    case "openai":
      return createOpenAiClient({ baseUrl: config.baseUrl, model: config.model, apiKey: config.apiKey, logger });
  }
}
