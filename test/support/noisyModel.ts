import { purposeOf, type ChatResponder, type RecordedChat, type ScriptedReply, type ScriptPurpose } from "./llmScript";

/**
 * A small model, scripted: it knows a correct plan for each task it is asked about and makes
 * the mistakes small models make, at set rates, from a fixed seed (so a test sees the same
 * mistakes on every run). It refuses tasks it knows to be infeasible. Plug it into the scripted
 * Ollama server (`startScriptedOllama({ respond: model })`): every answer goes through the real
 * HTTP protocol and the real `ollama` client.
 */

/** A planned step as the planner writes it: tool name and raw args (literals, `tool.output.path` references, `{{ }}` templates). */
export interface KnownStep {
  name: string;
  args: Record<string, unknown>;
}

export interface KnownTask {
  /** The task description as the function declares it; the model recognizes the task by it. */
  description: string;
  /** The correct plan, ending in `output_model`, or "infeasible" for a task the model should refuse. */
  plan: KnownStep[] | "infeasible";
}

/** The mistakes a noisy plan can carry; at most one per answer. */
export const MISTAKES = [
  "unknownTool",
  "wrongReference",
  "missingOutputField",
  "wrongType",
  "truncatedJson",
  "swappedOutputFields",
] as const;
export type Mistake = (typeof MISTAKES)[number];

/** Probability of each mistake in one planner answer (their sum must not exceed 1). */
export type MistakeRates = Record<Mistake, number>;

export interface NoisyModelOptions {
  tasks: Record<string, KnownTask>;
  rates: MistakeRates;
  /** Probability that an adaptor answer wires an argument to a field that does not exist. */
  adaptMistakeRate?: number;
  seed: number;
}

/** What the model did for one request, in the order the requests came. */
export interface NoisyEvent {
  purpose: ScriptPurpose;
  task: string | undefined;
  /** The mistake put into the answer, if any. */
  mistake?: Mistake | "adaptWrongReference";
}

export type NoisyModel = ChatResponder & { readonly events: readonly NoisyEvent[] };

/** mulberry32: a tiny seeded generator, good enough to draw mistakes. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REFERENCE = /^([A-Za-z0-9_-]+)\.output((?:\.[A-Za-z0-9_$-]+|\[\d+\])*)$/;

export function noisyModel(options: NoisyModelOptions): NoisyModel {
  const random = seededRandom(options.seed);
  const events: NoisyEvent[] = [];
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

  const taskOf = (request: RecordedChat): [string, KnownTask] | undefined => {
    const text = request.messages.map((m) => m.content).join("\n");
    // The longest description that appears: one task's description may start like another's.
    const found = Object.entries(options.tasks)
      .filter(([, task]) => text.includes(task.description))
      .sort(([, a], [, b]) => b.description.length - a.description.length);
    return found[0];
  };

  const drawMistake = (): Mistake | undefined => {
    let roll = random();
    for (const mistake of MISTAKES) {
      roll -= options.rates[mistake];
      if (roll < 0) return mistake;
    }
    return undefined;
  };

  const respond = (request: RecordedChat): ScriptedReply => {
    const purpose = purposeOf(request);
    const found = taskOf(request);
    const event: NoisyEvent = { purpose, task: found?.[0] };
    events.push(event);
    if (!found)
      return { json: purpose === "check" ? { justification: "I do not know this task.", decision: false } : {} };
    const [, task] = found;
    switch (purpose) {
      case "check":
        return task.plan === "infeasible"
          ? { json: { justification: "None of the tools offers this capability.", decision: false } }
          : { json: { justification: "The listed tools cover every output field.", decision: true } };
      case "plan": {
        if (task.plan === "infeasible") return { json: { steps: [{ name: "output_model", args: {} }] } };
        const mistake = drawMistake();
        const { reply, applied } = noisyPlan(task.plan, mistake, pick);
        if (mistake && applied) event.mistake = mistake;
        return reply;
      }
      case "adapt": {
        if (task.plan === "infeasible") return { json: { args: {} } };
        const step = stepAsked(request, task.plan);
        const args = { ...(step?.args ?? {}) };
        if (random() < (options.adaptMistakeRate ?? 0)) {
          const wrong = withWrongReference(args, pick);
          if (wrong) {
            event.mistake = "adaptWrongReference";
            return { json: { args: wrong } };
          }
        }
        return { json: { args } };
      }
      default:
        return { status: 500, error: "noisy model: unknown request purpose" };
    }
  };
  return Object.assign(respond, { events });
}

/** The step an adaptor request is about: `Step N: tool` in its prompt. */
function stepAsked(request: RecordedChat, plan: KnownStep[]): KnownStep | undefined {
  const text = request.messages.map((m) => m.content).join("\n");
  const match = /Step (\d+): ([A-Za-z0-9_-]+)/.exec(text);
  if (!match) return undefined;
  const byPosition = plan[Number(match[1]) - 1];
  return byPosition?.name === match[2] ? byPosition : plan.find((s) => s.name === match[2]);
}

function withWrongReference(
  args: Record<string, unknown>,
  pick: <T>(items: readonly T[]) => T | undefined,
): Record<string, unknown> | undefined {
  const refs = Object.entries(args).filter(([, value]) => typeof value === "string" && REFERENCE.test(value));
  const chosen = pick(refs);
  if (!chosen) return undefined;
  const [arg, value] = chosen as [string, string];
  // A plausible field a small model invents: the real one with a suffix.
  return { ...args, [arg]: `${value}_value` };
}

/** The plan with the mistake in it; `applied` is false when the plan offers no place for that mistake. */
function noisyPlan(
  plan: KnownStep[],
  mistake: Mistake | undefined,
  pick: <T>(items: readonly T[]) => T | undefined,
): { reply: ScriptedReply; applied: boolean } {
  const steps = plan.map((s) => ({ name: s.name, args: { ...s.args } }));
  const toolSteps = steps.filter((s) => s.name !== "output_model");
  const output = steps[steps.length - 1] as KnownStep;
  switch (mistake) {
    case "unknownTool": {
      const step = pick(toolSteps);
      if (!step) return { reply: { json: { steps } }, applied: false };
      step.name = `${step.name}_api`;
      break;
    }
    case "wrongReference": {
      const candidates = steps.filter((s) =>
        Object.values(s.args).some((v) => typeof v === "string" && REFERENCE.test(v)),
      );
      const step = pick(candidates);
      const wrong = step ? withWrongReference(step.args, pick) : undefined;
      if (!step || !wrong) return { reply: { json: { steps } }, applied: false };
      step.args = wrong;
      break;
    }
    case "missingOutputField": {
      const keys = Object.keys(output.args);
      const dropped = pick(keys);
      if (dropped === undefined) return { reply: { json: { steps } }, applied: false };
      delete output.args[dropped];
      break;
    }
    case "wrongType": {
      // An object where a scalar belongs: a small model wrapping a value.
      const step = pick(steps.filter((s) => Object.keys(s.args).length > 0));
      const arg = step ? pick(Object.keys(step.args)) : undefined;
      if (!step || arg === undefined) return { reply: { json: { steps } }, applied: false };
      step.args[arg] = { value: step.args[arg] };
      break;
    }
    case "swappedOutputFields": {
      // Two output fields wired to each other's source: the plan type-checks (or nearly) and the tests catch it.
      const keys = Object.keys(output.args);
      const a = pick(keys);
      const b = pick(keys.filter((key) => key !== a));
      if (a === undefined || b === undefined) return { reply: { json: { steps } }, applied: false };
      [output.args[a], output.args[b]] = [output.args[b], output.args[a]];
      break;
    }
    case "truncatedJson": {
      const text = JSON.stringify({ steps });
      return { reply: { content: text.slice(0, Math.floor(text.length * 0.6)) }, applied: true };
    }
    case undefined:
      return { reply: { json: { steps } }, applied: false };
  }
  return { reply: { json: { steps } }, applied: true };
}
