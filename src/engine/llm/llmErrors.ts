import { cancelledError, describeUnknown, workflowError, type WorkflowError } from "../errors";

/**
 * One LLM call's abort signal: fires when the caller cancels or the per-call time runs out,
 * and remembers which of the two it was so the failure can be reported as the right kind.
 */
export interface CallDeadline {
  readonly signal: AbortSignal;
  readonly timeoutMs: number | undefined;
  timedOut(): boolean;
  cancelled(): boolean;
  dispose(): void;
}

export function startCallDeadline(callerSignal?: AbortSignal, timeoutMs?: number): CallDeadline {
  const timeout = new AbortController();
  let expired = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          expired = true;
          timeout.abort(new Error(`LLM call timed out after ${timeoutMs} ms`));
        }, timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  return {
    signal,
    timeoutMs,
    timedOut: () => expired && !(callerSignal?.aborted ?? false),
    cancelled: () => callerSignal?.aborted ?? false,
    dispose: () => clearTimeout(timer),
  };
}

/** A fetch that also honours the call's signal, merged with any signal the caller of fetch passes. */
export function fetchWithSignal(signal: AbortSignal): typeof fetch {
  return (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

/**
 * An HTTP answer that is not 2xx, with the start of its body and, when the body is Ollama's JSON
 * `{"error": "..."}`, that error text.
 */
export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";

  constructor(
    readonly status: number,
    readonly bodySnippet: string,
    readonly errorText: string | undefined,
  ) {
    super(`HTTP ${status}: ${errorText ?? bodySnippet}`);
  }
}

/** How much of an error body is read: enough for any real message, bounded for a hostile one. */
const ERROR_BODY_CHARS = 4096;

/**
 * Like fetchWithSignal, but a non-2xx answer is thrown as HttpStatusError before the caller sees
 * it. The `ollama` client prints to stdout ("Getting text from response") while it reads a
 * non-JSON error body itself: it never gets one this way.
 */
export function fetchRejectingHttpErrors(signal: AbortSignal): typeof fetch {
  const fetchOnce = fetchWithSignal(signal);
  return async (input, init) => {
    const response = await fetchOnce(input, init);
    if (response.ok) return response;
    const snippet = await readSnippet(response);
    throw new HttpStatusError(response.status, snippet, ollamaErrorText(snippet));
  };
}

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < ERROR_BODY_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body cut off mid-way: what arrived is the snippet.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text.slice(0, ERROR_BODY_CHARS);
}

function ollamaErrorText(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const error = typeof parsed === "object" && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    return typeof error === "string" ? error : undefined;
  } catch {
    return undefined;
  }
}

/** Where a backend lives and how a user fixes it not being there; used in every message. */
export interface BackendIdentity {
  /** "Ollama" or "The OpenAI-compatible endpoint". */
  label: string;
  url: string;
  model: string;
  unreachableHint: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** The first network error code found in an error's cause chain (undici nests them, sometimes in an AggregateError). */
export function networkCodeOf(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = networkCodeOf(inner, depth + 1);
      if (found) return found;
    }
  }
  return networkCodeOf((error as { cause?: unknown }).cause, depth + 1);
}

/** Failures of fetch itself (no HTTP answer): undici reports them as `TypeError: fetch failed`. */
export function isNetworkFailure(error: unknown): boolean {
  return networkCodeOf(error) !== undefined || (error instanceof TypeError && error.message === "fetch failed");
}

/**
 * The error for a call that threw before any HTTP answer was read: cancelled, timed out or
 * unreachable. Returns undefined when the error is none of those (the caller maps it further).
 */
export function transportError(
  error: unknown,
  deadline: CallDeadline,
  backend: BackendIdentity,
): WorkflowError | undefined {
  if (deadline.cancelled()) return cancelledError("llm");
  if (deadline.timedOut()) {
    return workflowError(
      "LLM_TIMEOUT",
      "llm",
      `${backend.label} at ${backend.url} did not answer within ${deadline.timeoutMs} ms (model ${backend.model}). ` +
        "The model may still be loading or the machine is too slow; raise the LLM timeout or use a smaller model.",
      { timeoutMs: deadline.timeoutMs, host: backend.url, model: backend.model },
    );
  }
  if (isNetworkFailure(error)) {
    const code = networkCodeOf(error);
    return workflowError(
      "LLM_UNREACHABLE",
      "llm",
      `Cannot reach ${backend.label} at ${backend.url}${code ? ` (${code})` : ""}. ${backend.unreachableHint}`,
      { host: backend.url, ...(code ? { code } : {}), cause: describeUnknown(error) },
    );
  }
  return undefined;
}

export function httpError(backend: BackendIdentity, status: number, body: string): WorkflowError {
  const detail = body.trim().slice(0, 500);
  return workflowError(
    "LLM_HTTP",
    "llm",
    `${backend.label} at ${backend.url} answered HTTP ${status}${detail ? `: ${detail}` : ""}.`,
    { status, host: backend.url, model: backend.model, body: detail },
  );
}

export function badResponseError(backend: BackendIdentity, what: string): WorkflowError {
  return workflowError(
    "LLM_BAD_RESPONSE",
    "llm",
    `${backend.label} at ${backend.url} sent an unusable answer: ${what}.`,
    {
      host: backend.url,
      model: backend.model,
    },
  );
}

/** Model-not-found with the list of models the host does have, so the user can pick one. */
export function modelNotFoundError(
  backend: BackendIdentity,
  available: string[] | undefined,
  fixHint: string,
  /** Why `available` is missing. */
  listingProblem?: string,
): WorkflowError {
  const listing =
    available === undefined
      ? `The list of available models could not be read${listingProblem ? ` (${listingProblem})` : ""}.`
      : available.length === 0
        ? "The host has no models."
        : `Available models: ${available.join(", ")}.`;
  return workflowError(
    "LLM_MODEL_NOT_FOUND",
    "llm",
    `Model "${backend.model}" is not available at ${backend.url}. ${fixHint} ${listing}`,
    { model: backend.model, host: backend.url, available: available ?? [] },
  );
}
