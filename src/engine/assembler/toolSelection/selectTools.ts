import type { ToolSpec } from "../../tools/tool";
import type { FunctionTask } from "../../workflow/types";
import { toolEntry } from "../prompts";
import { bm25Index } from "./bm25";
import { schemaFields, typesMeet, type SchemaField } from "./schemaFields";
import { queryTermsOf, termsOf } from "./terms";

export interface SelectionRequest {
  task: FunctionTask;
  catalog: readonly ToolSpec[];
  /** Characters the tool catalog may take in one prompt. */
  budgetChars: number;
  /** Semantic similarity of each tool (by id) to the task, from embeddings, in [-1, 1]. */
  similarity?: ReadonlyMap<string, number>;
}

export interface ToolSelection {
  /** The tools to show, in catalog order. */
  tools: ToolSpec[];
  /** True when the whole catalog fits and is shown. */
  complete: boolean;
}

/** Producers looked for per missing input, and how deep a chain of producers is followed. */
const PRODUCERS_PER_FIELD = 2;
const MAX_CHAIN_DEPTH = 3;
/** The best-ranked tools, whose outputs make other tools feedable. */
const SEEDS = 5;

interface Candidate {
  tool: ToolSpec;
  chars: number;
  inputs: SchemaField[];
  outputs: SchemaField[];
  score: number;
}

function documentTerms(tool: ToolSpec, inputs: SchemaField[], outputs: SchemaField[]): string[] {
  const name = termsOf(tool.name);
  const fields = [...inputs, ...outputs];
  // The name and field names say most about a tool; they count more than prose.
  return [
    ...name,
    ...name,
    ...name,
    ...termsOf(tool.description),
    ...fields.flatMap((f) => [...termsOf(f.name), ...termsOf(f.name), ...termsOf(f.description)]),
  ];
}

function queryTerms(task: FunctionTask, taskInputs: SchemaField[], taskOutputs: SchemaField[]): string[] {
  return [
    ...queryTermsOf(task.description),
    ...[...taskInputs, ...taskOutputs].flatMap((f) => [...queryTermsOf(f.name), ...queryTermsOf(f.description)]),
  ];
}

/** True when one of `sources` can feed `field`: the same name (ignoring case and separators) and a compatible type. */
function feeds(sources: readonly SchemaField[], field: SchemaField): boolean {
  return sources.some((source) => source.key === field.key && typesMeet(source.type, field.type));
}

function fedBy(candidate: Candidate, sources: readonly SchemaField[]): boolean {
  const required = candidate.inputs.filter((f) => f.required);
  return required.length > 0 && required.every((field) => feeds(sources, field));
}

/**
 * The tools a planning shows when the catalog is larger than the prompt budget: a lexical
 * ranking (BM25 over names, descriptions and fields) against the task and its schemas, raised
 * by type-aware links (tools producing the output's fields, tools fed by the input or by the
 * best tools' outputs) and by embedding similarity when given; then, as each tool is taken,
 * the producers of the inputs it still lacks are taken with it.
 */
export function selectTools(request: SelectionRequest): ToolSelection {
  const { task, catalog, budgetChars } = request;
  const entries = catalog.map((tool) => ({ tool, chars: toolEntry(tool).length + 1 }));
  const total = entries.reduce((sum, entry) => sum + entry.chars, 0);
  if (total <= budgetChars) return { tools: [...catalog], complete: true };

  const taskInputs = schemaFields(task.inputSchema);
  const taskOutputs = schemaFields(task.outputSchema);
  const candidates: Candidate[] = entries.map(({ tool, chars }) => ({
    tool,
    chars,
    inputs: schemaFields(tool.inputSchema),
    outputs: schemaFields(tool.outputSchema),
    score: 0,
  }));
  const lexical = bm25Index(candidates.map((c) => documentTerms(c.tool, c.inputs, c.outputs))).scores(
    queryTerms(task, taskInputs, taskOutputs),
  );
  const best = Math.max(...lexical, 1e-9);
  // Cosine values of one embedding model sit in a narrow band: spread them over [0, 1].
  const similarities = [...(request.similarity?.values() ?? [])];
  const low = Math.min(...similarities);
  const spread = Math.max(...similarities) - low;
  for (const [index, candidate] of candidates.entries()) {
    const relevance = (lexical[index] ?? 0) / best;
    const produced = taskOutputs.filter((field) => feeds(candidate.outputs, field)).length;
    const producesOutput = produced === 0 ? 0 : 0.15 + (0.25 * produced) / Math.max(1, taskOutputs.length);
    const fromInput = fedBy(candidate, taskInputs) ? 0.15 : 0;
    const cosine = request.similarity?.get(candidate.tool.id);
    const similarity = cosine === undefined || spread <= 0 ? 0 : (cosine - low) / spread;
    // Links only count for tools the task's words point at: every tool that takes a `text` is fed by a text input.
    candidate.score = relevance + (relevance > 0.05 ? producesOutput + fromInput : 0) + similarity;
  }

  const order = [...candidates].sort((a, b) => b.score - a.score);
  const chosen = new Set<Candidate>();
  let used = 0;
  const available = (): SchemaField[] => [...taskInputs, ...[...chosen].flatMap((c) => c.outputs)];

  const take = (candidate: Candidate, depth: number): void => {
    if (chosen.has(candidate) || used + candidate.chars > budgetChars) return;
    chosen.add(candidate);
    used += candidate.chars;
    if (depth >= MAX_CHAIN_DEPTH) return;
    for (const field of candidate.inputs.filter((f) => f.required)) {
      if (feeds(available(), field)) continue;
      const producers = order
        .filter((other) => !chosen.has(other) && feeds(other.outputs, field))
        .slice(0, PRODUCERS_PER_FIELD);
      for (const producer of producers) take(producer, depth + 1);
    }
  };

  for (const seed of order.slice(0, SEEDS)) take(seed, 0);
  // Tools the chosen ones can feed come next, ranked among themselves.
  const sources = available();
  const fed = order.filter((c) => !chosen.has(c) && c.score > 0.05 && fedBy(c, sources));
  for (const candidate of [...fed.slice(0, SEEDS), ...order]) take(candidate, 0);

  const shown = new Set([...chosen].map((c) => c.tool));
  return { tools: catalog.filter((tool) => shown.has(tool)), complete: false };
}
