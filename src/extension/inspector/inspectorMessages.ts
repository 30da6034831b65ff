import { z } from "zod";
import { checkJsonLimits, describeViolation, type JsonLimits } from "../../engine/json/jsonLimits";
import { formatIssues } from "../../engine/json/validationIssues";
import { err, ok, type Result } from "../../engine/result";
import type { WebviewMessage } from "./inspectorProtocol";

const fileField = z.string().min(1).max(4096);

/** What the inspector webview may send; anything else is rejected and logged, never acted on. */
export const webviewMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("ready") }),
  z.strictObject({ type: z.literal("run") }),
  z.strictObject({ type: z.literal("replan") }),
  z.strictObject({ type: z.literal("delete"), file: fileField }),
  z.strictObject({ type: z.literal("openJson"), file: fileField }),
  z.strictObject({ type: z.literal("selectWorkflow"), file: fileField }),
  z.strictObject({ type: z.literal("compareWith"), file: fileField }),
  z.strictObject({ type: z.literal("closeCompare") }),
]);

// Keeps the schema and the webview's message type from drifting apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesProtocol: Same<z.output<typeof webviewMessageSchema>, WebviewMessage> = true;
void schemaMatchesProtocol;

/** Every valid message is a flat object with one short field: anything much bigger is hostile. */
const MESSAGE_LIMITS: JsonLimits = { maxDepth: 4, maxNodes: 64, maxStringLength: 8192, maxTotalChars: 16_384 };

export function parseWebviewMessage(raw: unknown): Result<WebviewMessage, string> {
  const tooBig = checkJsonLimits(raw, MESSAGE_LIMITS);
  if (tooBig) return err(`message refused: ${describeViolation(tooBig)}`);
  const parsed = webviewMessageSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  return err(formatIssues(parsed.error.issues));
}
