import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { WorkflowError } from "../../errors";
import { isPlainObject } from "../../json/isPlainObject";
import { parseJsonWithLimits } from "../../json/jsonLimits";
import { ok, type Result } from "../../result";
import type { EmbedRequest } from "../../llm/llmClient";
import type { Logger } from "../../logger";
import { readStoredFile } from "../../storage/storedFile";
import type { ToolSpec } from "../../tools/tool";
import type { FunctionTask } from "../../workflow/types";
import { toolEntry } from "../prompts";
import { schemaToTypeText } from "../schemaText";

/** Embeds texts with the configured embedding model (Ollama `/api/embed`). */
export type Embedder = (request: EmbedRequest) => Promise<Result<number[][], WorkflowError>>;

/** Tool texts are embedded this many at a time. */
const BATCH = 64;

interface CacheFile {
  model: string;
  /** Tool id to vector: a tool's id changes with its contract, so a stale vector is never reused. */
  vectors: Record<string, number[]>;
}

function cacheFileOf(folder: string, model: string): string {
  return join(folder, "embeddings", `${model.replace(/[^A-Za-z0-9._-]+/g, "_")}.json`);
}

async function readCache(file: string | undefined, model: string, logger: Logger): Promise<CacheFile> {
  const empty: CacheFile = { model, vectors: {} };
  if (file === undefined) return empty;
  // No cache yet, or an unreadable, oversized or foreign one: it is rebuilt from the model. A
  // FIFO or device in its place is never opened, so it can neither hang nor flood a planning.
  const read = await readStoredFile(file, dirname(file));
  if (!read.ok) {
    if (read.error.kind !== "missing") logger.warn(`Ignoring the embeddings cache ${file}: ${read.error.message}.`);
    return empty;
  }
  const parsed = parseJsonWithLimits(read.value.text);
  if (!parsed.ok || !isPlainObject(parsed.value) || parsed.value.model !== model) return empty;
  const { vectors } = parsed.value;
  if (!isPlainObject(vectors)) return empty;
  const valid = Object.entries(vectors).filter(
    (entry): entry is [string, number[]] =>
      Array.isArray(entry[1]) && entry[1].every((x) => typeof x === "number" && Number.isFinite(x)),
  );
  return { model, vectors: Object.fromEntries(valid) };
}

/** Written atomically (temp file, then rename), so a concurrent planning never reads half a cache. */
async function writeCache(file: string, cache: CacheFile): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temp, JSON.stringify(cache));
  await rename(temp, file);
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

export interface SimilarityRequest {
  task: FunctionTask;
  catalog: readonly ToolSpec[];
  embed: Embedder;
  model: string;
  /** The storage folder; vectors are cached in `embeddings/<model>.json` inside it. Memory only when absent. */
  storagePath: string | undefined;
  /** Each embedding call's time limit: the configured `llmTimeoutMs`, as for every LLM request. */
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

/**
 * Each tool's cosine similarity to the task. Only tools whose vectors are not cached yet are
 * embedded, so a catalog is embedded once per model and a changed tool once more.
 */
export async function embeddingSimilarity(
  request: SimilarityRequest,
): Promise<Result<Map<string, number>, WorkflowError>> {
  const file = request.storagePath === undefined ? undefined : cacheFileOf(request.storagePath, request.model);
  const cache = await readCache(file, request.model, request.logger);
  const embed = (texts: string[]) =>
    request.embed({ texts, timeoutMs: request.timeoutMs, ...(request.signal ? { signal: request.signal } : {}) });
  const missing = request.catalog.filter((tool) => cache.vectors[tool.id] === undefined);
  for (let start = 0; start < missing.length; start += BATCH) {
    const batch = missing.slice(start, start + BATCH);
    const vectors = await embed(batch.map(toolEntry));
    if (!vectors.ok) return vectors;
    batch.forEach((tool, index) => {
      const vector = vectors.value[index];
      if (vector) cache.vectors[tool.id] = vector;
    });
  }
  // The cache only saves embedding calls: a folder that cannot be written (a read-only checkout)
  // costs those calls next time, never this planning.
  if (missing.length > 0 && file !== undefined) await writeCache(file, cache).catch(() => undefined);
  const { task } = request;
  const taskVector = await embed([
    `${task.description}\nInput: ${schemaToTypeText(task.inputSchema)}\nOutput: ${schemaToTypeText(task.outputSchema)}`,
  ]);
  if (!taskVector.ok) return taskVector;
  const query = taskVector.value[0] ?? [];
  const similarity = new Map<string, number>();
  for (const tool of request.catalog) {
    const vector = cache.vectors[tool.id];
    if (vector) similarity.set(tool.id, cosine(query, vector));
  }
  return ok(similarity);
}
