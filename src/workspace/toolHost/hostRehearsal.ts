// What a startup snapshot's host runs once, as the snapshot is built: the parts of a load and a
// call that need no bundle (checking the messages, describing a made-up declaration's exports,
// parsing a call's input and checking its output). The snapshot keeps the bytecode V8 compiled
// for them, so a host started from it does not compile zod's parsers, its JSON Schema conversion
// and the host's report code again on its first load.
import type * as sdkModule from "../../sdk/index";
import type * as zodModule from "../../sdk/zodModule";
import { checkJsonLimits, VALUE_LIMITS } from "../../engine/json/jsonLimits";
import { describeExports, type Schemas } from "./hostMain";
import { IPC_LIMITS, type LoadReport } from "./protocol";

export function rehearseHost(schemas: Schemas, { z }: typeof zodModule, sdk: typeof sdkModule): void {
  const input = z.object({ a: z.number(), b: z.number().int().optional(), label: z.string().describe("A label") });
  const output = z.object({ total: z.number(), parts: z.array(z.number()), kind: z.enum(["sum", "none"]) });
  const rehearsed = sdk.tool({ name: "rehearsal", description: "Adds a and b.", input, output }, ({ a, b = 0 }) => ({
    total: a + b,
    parts: [a, b],
    kind: "sum" as const,
  }));
  const declared = {
    rehearsed,
    rehearsedFunction: sdk.llmFunction({
      name: "rehearsal_function",
      description: "Adds a and b.",
      input,
      output,
      tests: [{ input: { a: 1, label: "x" }, expected: { total: 1, parts: [1, 0], kind: "sum" } }],
    }),
  };
  const load = {
    type: "load",
    requestId: 0,
    items: [{ file: "/rehearsal.llm.ts", bundlePath: "/rehearsal.cjs", format: "cjs", runtimeModules: [], code: "" }],
  };
  const call = {
    type: "call",
    requestId: 1,
    file: "/rehearsal.llm.ts",
    exportName: "rehearsed",
    input: { a: 1, label: "x" },
  };
  for (const message of [load, call]) {
    if (checkJsonLimits(message, IPC_LIMITS) || !schemas.parentMessage.safeParse(message).success)
      throw new Error("tool host rehearsal: a message was refused");
  }
  const report: LoadReport = { tools: [], functions: [], problems: [] };
  const tools = describeExports(schemas, declared, report);
  const parsed = rehearsed.input.safeParse(call.input);
  if (!tools.has("rehearsed") || !parsed.success || report.problems.length > 0)
    throw new Error("tool host rehearsal: the made-up declaration failed");
  const result = rehearsed.handler(parsed.data, {});
  if (checkJsonLimits(result, VALUE_LIMITS) || !rehearsed.output.safeParse(result).success)
    throw new Error("tool host rehearsal: the made-up call failed");
}
