import { z } from "zod";
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
]);

// Keeps the schema and the webview's message type from drifting apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesProtocol: Same<z.output<typeof webviewMessageSchema>, WebviewMessage> = true;
void schemaMatchesProtocol;

export function parseWebviewMessage(raw: unknown): Result<WebviewMessage, string> {
  const parsed = webviewMessageSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  return err(formatIssues(parsed.error.issues));
}
