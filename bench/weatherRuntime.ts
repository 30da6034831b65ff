// The runtime both engine figures start from: the weather tools in process, the 5-step function planned once.
import { createRuntime, type LlmFunctionRuntime } from "../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../src/engine/toolRegistry";
import type { WorkflowFile } from "../src/engine/workflow/types";
import { emailWeatherReport, weatherTools } from "../test/support/weatherTools";

export async function plannedWeatherRuntime(
  ollamaUrl: string,
  storagePath: string,
): Promise<{ runtime: LlmFunctionRuntime; planned: WorkflowFile }> {
  const runtime = await createRuntime({
    config: { llm: { type: "ollama", host: ollamaUrl, model: "qwen3:8b" }, storagePath },
    sources: [inMemoryToolSource(weatherTools)],
  });
  const planned = await runtime.plan(emailWeatherReport.toSpec());
  if (!planned.ok) throw new Error(`bench planning failed: ${planned.error.message}`);
  return { runtime, planned: planned.value };
}
