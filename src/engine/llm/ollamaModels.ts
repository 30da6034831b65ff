import { Ollama } from "ollama";
import { cancelledError, describeUnknown, type WorkflowError } from "../errors";
import { err, ok, type Result } from "../result";
import {
  badResponseError,
  fetchRejectingHttpErrors,
  httpError,
  HttpStatusError,
  startCallDeadline,
  transportError,
  type BackendIdentity,
} from "./llmErrors";

/** `model_info["<arch>.context_length"]` of an `/api/show` answer: the longest context the model was trained for. */
export function contextLengthOf(show: unknown): number | undefined {
  const info = (show as { model_info?: unknown } | null)?.model_info;
  if (typeof info !== "object" || info === null) return undefined;
  const fields = info as Record<string, unknown>;
  const arch = fields["general.architecture"];
  const own = typeof arch === "string" ? fields[`${arch}.context_length`] : undefined;
  const value =
    typeof own === "number"
      ? own
      : Object.entries(fields).find(([key, v]) => key.endsWith(".context_length") && typeof v === "number")?.[1];
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** One model a host has, for `llmfn models` and pickers. */
export interface OllamaModelEntry {
  name: string;
  sizeBytes: number;
  /** From `/api/show`; absent when the host does not say. */
  contextLength?: number;
  parameterSize?: string;
  quantization?: string;
}

const METADATA_TIMEOUT_MS = 10_000;

function identity(host: string): BackendIdentity {
  return {
    label: "Ollama",
    url: host,
    model: "",
    unreachableHint: "Start Ollama (`ollama serve`) or change the `llmFunction.ollama.host` setting.",
  };
}

function answerError(error: unknown, backend: BackendIdentity): WorkflowError {
  if (error instanceof HttpStatusError) return httpError(backend, error.status, error.errorText ?? error.bodySnippet);
  return badResponseError(backend, describeUnknown(error));
}

/** The host's models with their size and context length (`/api/tags`, then `/api/show` per model). */
export async function listOllamaModels(
  hostUrl: string,
  signal?: AbortSignal,
): Promise<Result<OllamaModelEntry[], WorkflowError>> {
  const host = hostUrl.replace(/\/+$/, "");
  const backend = identity(host);
  if (signal?.aborted) return err(cancelledError("llm"));
  const deadline = startCallDeadline(signal, METADATA_TIMEOUT_MS);
  const client = new Ollama({ host, fetch: fetchRejectingHttpErrors(deadline.signal) });
  try {
    const listing: unknown = await client.list();
    const models = (listing as { models?: unknown } | null)?.models;
    if (!Array.isArray(models)) return err(badResponseError(backend, "/api/tags did not return a model list"));
    const entries: OllamaModelEntry[] = [];
    for (const raw of models as {
      name?: unknown;
      size?: unknown;
      details?: { parameter_size?: unknown; quantization_level?: unknown };
    }[]) {
      const name = typeof raw?.name === "string" ? raw.name : "";
      if (name === "") continue;
      const show: unknown = await client.show({ model: name });
      const contextLength = contextLengthOf(show);
      const parameterSize = raw.details?.parameter_size;
      const quantization = raw.details?.quantization_level;
      entries.push({
        name,
        sizeBytes: typeof raw.size === "number" ? raw.size : 0,
        ...(contextLength === undefined ? {} : { contextLength }),
        ...(typeof parameterSize === "string" && parameterSize !== "" ? { parameterSize } : {}),
        ...(typeof quantization === "string" && quantization !== "" ? { quantization } : {}),
      });
    }
    return ok(entries);
  } catch (error) {
    return err(transportError(error, deadline, backend) ?? answerError(error, backend));
  } finally {
    deadline.dispose();
  }
}

export interface PullProgress {
  status: string;
  completedBytes?: number;
  totalBytes?: number;
}

/** Downloads a model onto the host (`/api/pull`), reporting progress; cancellable with the signal. */
export async function pullOllamaModel(
  hostUrl: string,
  model: string,
  onProgress: (progress: PullProgress) => void,
  signal?: AbortSignal,
): Promise<Result<void, WorkflowError>> {
  const host = hostUrl.replace(/\/+$/, "");
  const backend = { ...identity(host), model };
  if (signal?.aborted) return err(cancelledError("llm"));
  // No time limit: a pull takes as long as the download; the user cancels it.
  const deadline = startCallDeadline(signal, undefined);
  const client = new Ollama({ host, fetch: fetchRejectingHttpErrors(deadline.signal) });
  try {
    const stream = await client.pull({ model, stream: true });
    for await (const part of stream) {
      const error = (part as { error?: unknown }).error;
      if (typeof error === "string") return err(httpError(backend, 500, error));
      onProgress({
        status: part.status,
        ...(typeof part.completed === "number" ? { completedBytes: part.completed } : {}),
        ...(typeof part.total === "number" ? { totalBytes: part.total } : {}),
      });
    }
    return ok(undefined);
  } catch (error) {
    return err(transportError(error, deadline, backend) ?? answerError(error, backend));
  } finally {
    deadline.dispose();
  }
}
