import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { prefixOverheadChars } from "../src/engine/assembler/prompts";
import { selectTools } from "../src/engine/assembler/toolSelection/selectTools";
import { DEFAULT_PROMPT_BUDGET_TOKENS } from "../src/engine/config";
import { toJsonSchema } from "../src/engine/jsonSchema";
import { charsForTokens } from "../src/engine/llm/contextWindow";
import { createRuntime } from "../src/engine/runtime/llmFunctionRuntime";
import { inMemoryToolSource } from "../src/engine/toolRegistry";
import type { Tool } from "../src/engine/tools/tool";
import { cityHighF, cityHighFPlan as plan } from "../test/support/cityHighF";
import { contextFaithfulModel } from "../test/support/contextFaithfulModel";
import { startScriptedOllama, type RecordedChat } from "../test/support/scriptedOllamaServer";
import { LABELLED_TASKS, syntheticCatalog } from "../test/support/syntheticCatalog";

// Prompt figures of issue 7: what a clean plan sends at 5, 100 and 500 tools, how much of it the
// check and plan calls share (Ollama's prompt cache reuses it), and the recall of tool selection.

function promptText(request: RecordedChat): string {
  return request.messages.map((m) => `${m.role}\n${m.content}`).join("\n");
}

function sharedPrefixRatio(check: RecordedChat, planned: RecordedChat): number {
  const a = promptText(check);
  const b = promptText(planned);
  let shared = 0;
  while (shared < Math.min(a.length, b.length) && a[shared] === b[shared]) shared += 1;
  return shared / b.length;
}

/** A catalog of `size` tools holding the three the plan needs, the rest look-alikes and others. */
function catalogOf(size: number): Tool[] {
  const all = syntheticCatalog();
  const needed = all.filter((t) => plan.steps.some((s) => s.name === t.name));
  return [...needed, ...all.filter((t) => !needed.includes(t)).slice(0, size - needed.length)];
}

async function cleanPlan(tools: Tool[]): Promise<{ promptChars: number; ratio: number }> {
  const server = await startScriptedOllama({
    respond: contextFaithfulModel({ task: cityHighF.toSpec().description, plan }),
  });
  const storagePath = await mkdtemp(join(tmpdir(), "llmfn-prompt-bench-"));
  try {
    const runtime = await createRuntime({
      config: { llm: { type: "ollama", host: server.url, model: "qwen3:8b" }, storagePath },
      sources: [inMemoryToolSource(tools)],
    });
    const planned = await runtime.plan(cityHighF.toSpec());
    if (!planned.ok || !planned.value.completed || planned.value.stats.llmCalls !== 2) {
      throw new Error(`prompt bench: the clean plan at ${tools.length} tools did not complete in 2 calls`);
    }
    const [check, planCall] = server.requests;
    if (!check || !planCall) throw new Error("prompt bench: the check and plan requests were not recorded");
    return { promptChars: planned.value.stats.promptChars, ratio: sharedPrefixRatio(check, planCall) };
  } finally {
    await server.close();
    await rm(storagePath, { recursive: true, force: true });
  }
}

/**
 * On the labelled tasks, with the budget a planning uses by default (planningSelection.ts) and no
 * widening: the share of needed tools selected, and the share of tasks shown every tool they need.
 */
function toolSelection(): { recall: number; tasksCovered: number } {
  const catalog = syntheticCatalog();
  let needed = 0;
  let found = 0;
  let covered = 0;
  for (const labelled of LABELLED_TASKS) {
    const task = {
      name: labelled.name,
      description: labelled.description,
      inputSchema: toJsonSchema(z.object(labelled.input)),
      outputSchema: toJsonSchema(z.object(labelled.output)),
    };
    const budgetChars = charsForTokens(DEFAULT_PROMPT_BUDGET_TOKENS) - prefixOverheadChars(task) - 800;
    const shown = new Set(selectTools({ task, catalog, budgetChars }).tools.map((t) => t.name));
    const hits = labelled.needs.filter((name) => shown.has(name)).length;
    needed += labelled.needs.length;
    found += hits;
    if (hits === labelled.needs.length) covered += 1;
  }
  return { recall: found / needed, tasksCovered: covered / LABELLED_TASKS.length };
}

export async function promptBenchmarks(): Promise<Record<string, number>> {
  const five = await cleanPlan(catalogOf(5));
  const hundred = await cleanPlan(catalogOf(100));
  const fiveHundred = await cleanPlan(catalogOf(500));
  const selection = toolSelection();
  return {
    prompt_chars_per_clean_plan_5_tools: five.promptChars,
    prompt_chars_per_clean_plan_100_tools: hundred.promptChars,
    prompt_chars_per_clean_plan_500_tools: fiveHundred.promptChars,
    shared_prefix_ratio: Number(five.ratio.toFixed(3)),
    shared_prefix_ratio_500_tools: Number(fiveHundred.ratio.toFixed(3)),
    tool_selection_recall: Number(selection.recall.toFixed(3)),
    tool_selection_tasks_fully_covered: Number(selection.tasksCovered.toFixed(3)),
    tool_selection_labelled_tasks: LABELLED_TASKS.length,
  };
}
