import { tool } from "llm-function";
import { z } from "zod";

const GREETINGS: Record<string, string> = {
  English: "Hello",
  Norwegian: "Hei",
  German: "Hallo",
  French: "Bonjour",
  Japanese: "Konnichiwa",
  Spanish: "Hola",
};

const words = (text: string) => text.split(/\s+/).filter((w) => w !== "");

export const slugify = tool(
  {
    name: "slugify",
    description: "Make a URL slug from text: lower case, words joined by hyphens, punctuation dropped.",
    input: z.object({ text: z.string() }),
    output: z.object({ slug: z.string() }),
  },
  ({ text }) => ({
    slug: text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, ""),
  }),
);

export const wordCount = tool(
  {
    name: "word_count",
    description: "Count the words and characters of a text.",
    input: z.object({ text: z.string() }),
    output: z.object({ words: z.number().int(), characters: z.number().int() }),
  },
  ({ text }) => ({ words: words(text).length, characters: text.length }),
);

export const summarizeText = tool(
  {
    name: "summarize_text",
    description: "Shorten a text to at most maxWords words (an ellipsis marks a cut).",
    input: z.object({ text: z.string(), maxWords: z.number().int().min(1) }),
    output: z.object({ summary: z.string(), truncated: z.boolean() }),
  },
  ({ text, maxWords }) => {
    const all = words(text);
    const truncated = all.length > maxWords;
    return { summary: `${all.slice(0, maxWords).join(" ")}${truncated ? "…" : ""}`, truncated };
  },
);

export const detectLanguage = tool(
  {
    name: "detect_language",
    description: "Guess the language a short text is written in, from common words.",
    input: z.object({ text: z.string() }),
    output: z.object({ language: z.string(), confidence: z.number() }),
  },
  ({ text }) => {
    const lower = ` ${text.toLowerCase()} `;
    const hints: [string, RegExp][] = [
      ["French", / (le|la|et|bonjour|merci) /],
      ["German", / (der|die|und|hallo|danke) /],
      ["Spanish", / (el|los|y|hola|gracias) /],
      ["Norwegian", / (og|ikke|hei|takk) /],
    ];
    const found = hints.find(([, pattern]) => pattern.test(lower));
    return found ? { language: found[0], confidence: 0.8 } : { language: "English", confidence: 0.5 };
  },
);

export const translateGreeting = tool(
  {
    name: "translate_greeting",
    description: "The word for 'hello' in a language given by its English name (e.g. German gives Hallo).",
    input: z.object({ language: z.string() }),
    output: z.object({ greeting: z.string() }),
  },
  ({ language }) => {
    const greeting = GREETINGS[language];
    if (!greeting) throw new Error(`No greeting known for ${language}.`);
    return { greeting };
  },
);
