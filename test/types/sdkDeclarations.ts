// Compiled by `npm run typecheck` only: fails when the SDK declarations that Set Up Workspace writes
// (media/types/llm-function.d.ts) drift from what the `llm-function` module really accepts.
import type * as Declared from "../../media/types/llm-function";
import * as Sdk from "../../src/sdk/index";

type Parameters2<F> = F extends (...args: infer A) => unknown ? A : never;

// Whatever the declarations let a user write must be accepted by the real functions.
export const acceptsDeclaredTool = (...args: Parameters2<typeof Declared.tool>): unknown => Sdk.tool(...args);
export const acceptsDeclaredFunction = (...args: Parameters2<typeof Declared.llmFunction>): unknown =>
  Sdk.llmFunction(...args);
