import type { ChatResponder, ScriptedReply } from "./llmScript";

/** The step names a plan request's format allows (`steps[].name.enum`), when it restricts them. */
export function allowedStepNames(format: unknown): readonly string[] | undefined {
  const steps = (format as { properties?: { steps?: unknown } } | null | undefined)?.properties?.steps;
  const name = (steps as { items?: { properties?: { name?: unknown } } } | undefined)?.items?.properties?.name;
  const allowed = (name as { enum?: unknown } | undefined)?.enum;
  return Array.isArray(allowed) && allowed.every((n) => typeof n === "string") ? allowed : undefined;
}

function sharedStart(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}

/**
 * What a grammar-constrained decoder makes of a name outside the enum: the tokens the model
 * wanted are refused one by one, so it ends on the allowed name sharing the longest start with
 * the one it meant (the first such name on a tie). It can never produce a name outside the enum.
 */
export function nearestAllowed(name: string, allowed: readonly string[]): string {
  if (allowed.includes(name)) return name;
  let best = allowed[0] ?? name;
  for (const candidate of allowed) if (sharedStart(name, candidate) > sharedStart(name, best)) best = candidate;
  return best;
}

function constrained(data: unknown, allowed: readonly string[]): unknown {
  const steps = (data as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return data;
  return {
    ...(data as object),
    steps: steps.map((step: unknown) =>
      typeof step === "object" && step !== null && typeof (step as { name?: unknown }).name === "string"
        ? { ...step, name: nearestAllowed((step as { name: string }).name, allowed) }
        : step,
    ),
  };
}

/**
 * A responder whose plan answers obey the request's format as Ollama's grammar does: no step
 * name outside the tool-name enum gets through. Only `json` replies are constrained: one
 * scripted as raw text is a test's deliberate choice (a broken answer, a server ignoring format).
 */
export function withinFormat(respond: ChatResponder): ChatResponder {
  return async (request) => {
    const reply: ScriptedReply = await respond(request);
    const allowed = allowedStepNames(request.format);
    if (allowed === undefined || typeof reply === "string" || reply.json === undefined) return reply;
    return { ...reply, json: constrained(reply.json, allowed) };
  };
}
