import { listOllamaModels } from "../../engine/llm/ollamaModels";
import type { LlmBackendConfig } from "../../engine/config";
import { table, type CliStreams } from "../cliOutput";
import { EXIT_CANCELLED, EXIT_FAILED, EXIT_OK } from "../exitCodes";

function gigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

/**
 * `llmfn models`: the host's models with their size and context length, the configured one
 * marked. Reads no workspace code, only the settings that name the host and model.
 */
export async function modelsCommand(
  llm: LlmBackendConfig,
  json: boolean,
  io: CliStreams,
  signal: AbortSignal,
): Promise<number> {
  if (llm.type !== "ollama") {
    io.err("llmfn models lists an Ollama host's models; the configured endpoint is OpenAI-compatible.");
    return EXIT_FAILED;
  }
  const listed = await listOllamaModels(llm.host, signal);
  if (!listed.ok) {
    if (listed.error.kind === "CANCELLED") return EXIT_CANCELLED;
    io.err(`Cannot list the models (${listed.error.kind}): ${listed.error.message}`);
    return EXIT_FAILED;
  }
  const models = listed.value;
  const configured = (name: string) => name === llm.model || name === `${llm.model}:latest`;
  if (json) {
    io.out(
      JSON.stringify(
        {
          host: llm.host,
          configured: llm.model,
          models: models.map((m) => ({ ...m, configured: configured(m.name) })),
        },
        null,
        2,
      ),
    );
    return EXIT_OK;
  }
  if (models.length === 0) {
    io.out(`${llm.host} has no models. Pull one with \`ollama pull ${llm.model}\`.`);
    return EXIT_OK;
  }
  const rows = [
    ["", "MODEL", "SIZE", "CONTEXT", "PARAMETERS", "QUANTIZATION"],
    ...models.map((m) => [
      configured(m.name) ? "*" : "",
      m.name,
      gigabytes(m.sizeBytes),
      m.contextLength === undefined ? "?" : `${m.contextLength} tokens`,
      m.parameterSize ?? "",
      m.quantization ?? "",
    ]),
  ];
  io.out(`Models at ${llm.host} (* the configured model):`);
  for (const line of table(rows)) io.out(line);
  if (!models.some((m) => configured(m.name)))
    io.out(`The configured model ${llm.model} is not there: pull it with \`ollama pull ${llm.model}\`.`);
  return EXIT_OK;
}
