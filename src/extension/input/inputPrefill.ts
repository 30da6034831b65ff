// What the input box starts with: the last input, else a test input, else the skeleton.
import type { JsonValue } from "../../engine/jsonSchema";

export type InputSource = "last" | "test" | "skeleton";

export interface InputSources {
  last?: unknown;
  tests: readonly unknown[];
  skeleton: JsonValue;
}

export interface Prefill {
  text: string;
  source: InputSource;
  /** Where the cursor goes: inside the first empty string, else at the end; nothing is selected. */
  cursor: number;
}

export function cursorPosition(text: string): number {
  const emptyString = text.indexOf('""');
  return emptyString >= 0 ? emptyString + 1 : text.length;
}

export function prefillFrom(value: unknown, source: InputSource): Prefill {
  const text = JSON.stringify(value) ?? "null";
  return { text, source, cursor: cursorPosition(text) };
}

export function initialInput(sources: InputSources): Prefill {
  if (sources.last !== undefined) return prefillFrom(sources.last, "last");
  if (sources.tests.length > 0) return prefillFrom(sources.tests[0], "test");
  return prefillFrom(sources.skeleton, "skeleton");
}

/** The input box's prompt line naming where the prefilled value came from. */
export function prefillNote(source: InputSource, testIndex?: number): string {
  if (source === "last") return "Prefilled with your last input.";
  if (source === "test") return `Prefilled with test input ${(testIndex ?? 0) + 1}.`;
  return "Prefilled with a skeleton of the input schema.";
}
