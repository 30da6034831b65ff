import { z } from "zod";

/** The IPC messages between the workspace layer and its tool host; both ends validate them. */

const jsonSchema = z.record(z.string(), z.unknown());

export const toolReportSchema = z.object({
  exportName: z.string(),
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
});

export const functionReportSchema = z.object({
  exportName: z.string(),
  name: z.string().min(1),
  description: z.string(),
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  tests: z.array(z.object({ name: z.string().optional(), input: z.unknown(), expected: z.unknown().optional() })),
  compare: z.record(z.string(), z.unknown()).optional(),
});

/** A problem found while loading, at a source position when the stack names one. */
export const loadProblemSchema = z.object({
  message: z.string(),
  exportName: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const loadReportSchema = z.object({
  tools: z.array(toolReportSchema),
  functions: z.array(functionReportSchema),
  problems: z.array(loadProblemSchema),
});

export type ToolReport = z.infer<typeof toolReportSchema>;
export type FunctionReport = z.infer<typeof functionReportSchema>;
export type LoadProblem = z.infer<typeof loadProblemSchema>;
export type LoadReport = z.infer<typeof loadReportSchema>;

export const parentMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("load"), requestId: z.number().int(), file: z.string(), bundlePath: z.string() }),
  z.object({ type: z.literal("unload"), file: z.string() }),
  z.object({ type: z.literal("call"), requestId: z.number().int(), file: z.string(), exportName: z.string(), input: z.unknown() }),
  z.object({ type: z.literal("cancel"), requestId: z.number().int() }),
]);

export const hostMessageSchema = z.union([
  z.object({ type: z.literal("ready") }),
  z.object({ type: z.literal("loaded"), requestId: z.number().int(), report: loadReportSchema }),
  z.object({ type: z.literal("result"), requestId: z.number().int(), ok: z.literal(true), output: z.unknown() }),
  z.object({ type: z.literal("result"), requestId: z.number().int(), ok: z.literal(false), message: z.string() }),
]);

export type ParentMessage = z.infer<typeof parentMessageSchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;
