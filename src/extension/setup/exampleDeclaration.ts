/** The declaration file "Set Up Workspace" adds to a folder that has none. */
export const EXAMPLE_DECLARATION = `import { llmFunction, tool } from "llm-function";
import { z } from "zod";

// Tools are plain typed functions: the LLM plans which to call, then the workflow runs without it.
export const countWords = tool(
  {
    name: "count_words",
    description: "Counts the words (runs of non-space characters) in a text.",
    input: z.object({ text: z.string() }),
    output: z.object({ count: z.number().int() }),
  },
  ({ text }) => ({ count: text.trim() === "" ? 0 : text.trim().split(/\\s+/).length }),
);

export const toUpperCase = tool(
  {
    name: "to_upper_case",
    description: "Returns the text in upper case.",
    input: z.object({ text: z.string() }),
    output: z.object({ upper: z.string() }),
  },
  ({ text }) => ({ upper: text.toUpperCase() }),
);

// An LLM function has a contract and no body; tests check the planned workflow before it is stored.
// Names, as the planner and the views show them, are snake_case like the tools'.
export const shoutAndCount = llmFunction({
  name: "shout_and_count",
  description: "Give the text in upper case together with its number of words.",
  input: z.object({ text: z.string() }),
  output: z.object({ loud: z.string(), words: z.number().int() }),
  tests: [{ input: { text: "hello big world" }, expected: { loud: "HELLO BIG WORLD", words: 3 } }],
});
`;
