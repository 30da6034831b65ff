import { withinFormat } from "./formatGrammar";
import type { ChatResponder, RecordedChat } from "./llmScript";
import { purposeOf } from "./llmScript";

/** What a model knows: only the text that survived in its context window. */
function seenText(request: RecordedChat): string {
  return (request.seen ?? request.messages).map((m) => m.content).join("\n");
}

export interface FaithfulModelScript {
  /** Text of the task description the model must see to know what is asked. */
  task: string;
  /** The plan a capable model gives when it sees the task and every tool of the plan. */
  plan: { steps: { name: string; args: Record<string, unknown> }[] };
  /**
   * Tools of the plan the model names from the task alone, unseen (a name as obvious as
   * `km_to_miles`): it plans with them whether the prompt lists them or not.
   */
  guesses?: string[];
}

/**
 * A small model that knows only what reached it: it finds the task feasible and plans it right
 * when the task and every tool of the right plan (bar those it guesses) are in what survived of
 * the prompt; otherwise it refuses (check) or plans with a tool it imagined (plan), as a model
 * guessing would. Its plans obey the format's tool-name enum as Ollama's grammar does, so a name
 * the enum leaves out comes out as another tool's.
 */
export function contextFaithfulModel(script: FaithfulModelScript): ChatResponder {
  const guesses = new Set(script.guesses ?? []);
  const needs = [...new Set(script.plan.steps.map((s) => s.name).filter((name) => name !== "output_model"))];
  return withinFormat((request) => {
    const seen = seenText(request);
    const knowsTask = seen.includes(script.task);
    const missing = needs.filter((name) => !guesses.has(name) && !seen.includes(`- ${name}:`));
    const knows = knowsTask && missing.length === 0;
    switch (purposeOf(request)) {
      case "check":
        return {
          json: knows
            ? { justification: `The listed tools ${needs.join(", ")} give every output field.`, decision: true }
            : {
                justification: knowsTask
                  ? `No listed tool does what ${missing.join(", ")} would do.`
                  : "I was given no task, only a list of steps.",
                decision: false,
              },
        };
      case "plan":
        return {
          json: knows
            ? script.plan
            : {
                steps: [
                  { name: "lookup_everything", args: {} },
                  { name: "output_model", args: { result: "lookup_everything.output.result" } },
                ],
              },
        };
      default:
        return { status: 500, error: `context-faithful model: no script for '${purposeOf(request)}' calls` };
    }
  });
}
