import type { z as Zod } from "zod";
import { VALUE_LIMITS, type JsonLimits } from "../../engine/json/jsonLimits";

/**
 * Limits on every IPC message, checked before its schema: a message wraps a tool's input or
 * output (or a declaration's schemas and tests) a few levels down.
 */
export const IPC_LIMITS: JsonLimits = { ...VALUE_LIMITS, maxDepth: VALUE_LIMITS.maxDepth + 8 };

/** The request a raw message answers or asks, read without trusting anything else in it. */
export function requestIdOf(raw: unknown): number | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const id = (raw as { requestId?: unknown }).requestId;
  return typeof id === "number" && Number.isInteger(id) ? id : undefined;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The IPC messages between the workspace layer and its tool host; both ends validate them.
 * Built from a given zod so the host can use the runtime zod it preloads for user code
 * instead of carrying a second copy of zod in its own script.
 */
export function protocolSchemas(z: typeof Zod) {
  // A JSON object, checked without copying it: a record schema walked and copied every schema of
  // every report, the larger part of checking a load reply of 200 files in the parent.
  const jsonSchema = z.custom<Record<string, unknown>>(isJsonObject, "expected a JSON object");

  const toolReport = z.object({
    exportName: z.string(),
    id: z.string().min(1),
    handlerHash: z.string(),
    name: z.string().min(1),
    description: z.string(),
    inputSchema: jsonSchema,
    outputSchema: jsonSchema,
    tags: z.array(z.string()),
    metadata: z.record(z.string(), z.unknown()),
  });

  const functionReport = z.object({
    exportName: z.string(),
    name: z.string().min(1),
    description: z.string(),
    inputSchema: jsonSchema,
    outputSchema: jsonSchema,
    tests: z.array(z.object({ name: z.string().optional(), input: z.unknown(), expected: z.unknown().optional() })),
    compare: z.record(z.string(), z.unknown()).optional(),
    expectInfeasible: z.boolean().optional(),
  });

  const position = z.object({ line: z.number().int(), column: z.number().int() });

  /**
   * A problem found while loading: of one export, or of the whole file at the bundle's own stack
   * frames (1-based), which the parent maps back to the source with the bundle's source map.
   */
  const loadProblem = z.object({
    message: z.string(),
    exportName: z.string().optional(),
    bundleFrames: z.array(position).optional(),
  });

  const loadReport = z.object({
    tools: z.array(toolReport),
    functions: z.array(functionReport),
    problems: z.array(loadProblem),
  });

  /** One bundle to load: CommonJS (cheap to load) unless the file needs top-level await. */
  const loadItem = z.object({
    file: z.string(),
    bundlePath: z.string(),
    format: z.enum(["cjs", "esm"]),
    /** URLs of the shared modules (SDK, zod) the bundle imports; the host imports them first. */
    runtimeModules: z.array(z.string()),
    /** A CommonJS bundle's code, compiled as if read from `bundlePath` (no file is written). */
    code: z.string().optional(),
  });

  const parentMessage = z.discriminatedUnion("type", [
    z.object({ type: z.literal("load"), requestId: z.number().int(), items: z.array(loadItem) }),
    z.object({ type: z.literal("unload"), file: z.string() }),
    z.object({
      type: z.literal("call"),
      requestId: z.number().int(),
      file: z.string(),
      exportName: z.string(),
      input: z.unknown(),
    }),
    z.object({ type: z.literal("cancel"), requestId: z.number().int() }),
  ]);

  const hostMessage = z.union([
    z.object({ type: z.literal("ready") }),
    /** One report per load item, in order. */
    z.object({ type: z.literal("loaded"), requestId: z.number().int(), reports: z.array(loadReport) }),
    z.object({ type: z.literal("result"), requestId: z.number().int(), ok: z.literal(true), output: z.unknown() }),
    z.object({ type: z.literal("result"), requestId: z.number().int(), ok: z.literal(false), message: z.string() }),
  ]);

  return { toolReport, functionReport, loadProblem, loadReport, loadItem, parentMessage, hostMessage };
}

type Schemas = ReturnType<typeof protocolSchemas>;
export type ToolReport = Zod.infer<Schemas["toolReport"]>;
export type FunctionReport = Zod.infer<Schemas["functionReport"]>;
export type LoadProblem = Zod.infer<Schemas["loadProblem"]>;
export type LoadReport = Zod.infer<Schemas["loadReport"]>;
export type LoadItem = Zod.infer<Schemas["loadItem"]>;
export type ParentMessage = Zod.infer<Schemas["parentMessage"]>;
export type HostMessage = Zod.infer<Schemas["hostMessage"]>;
