import { THINK_SETTING_VALUES } from "../defaults";

/** How a reasoning model is asked to think (Ollama `think`): off, on, or an effort level (gpt-oss). */
export const THINK_MODES = THINK_SETTING_VALUES;
export type ThinkMode = (typeof THINK_MODES)[number];

/** The `think` value Ollama expects for a mode. */
export function ollamaThinkValue(mode: ThinkMode): boolean | "low" | "medium" | "high" {
  if (mode === "off") return false;
  if (mode === "on") return true;
  return mode;
}

/**
 * Splits `<think>…</think>` reasoning off an answer's content: servers that ignore `think`
 * (or older Ollama versions) put the reasoning inline. An unclosed `<think>` holds the rest.
 */
export function splitInlineThinking(content: string): { answer: string; thinking: string } {
  const lower = content.toLowerCase();
  const thoughts: string[] = [];
  let answer = "";
  let position = 0;
  while (position < content.length) {
    const open = lower.indexOf("<think>", position);
    if (open === -1) {
      answer += content.slice(position);
      break;
    }
    answer += content.slice(position, open);
    const close = lower.indexOf("</think>", open);
    const end = close === -1 ? content.length : close;
    thoughts.push(content.slice(open + "<think>".length, end).trim());
    position = close === -1 ? content.length : close + "</think>".length;
  }
  return { answer: answer.trim(), thinking: thoughts.filter((t) => t !== "").join("\n\n") };
}
