import type { InspectorState } from "./inspectorModel";

// The message types only, so the webview bundle can use them without pulling in zod.

export type WebviewMessage =
  | { type: "ready" }
  | { type: "run" }
  | { type: "replan" }
  | { type: "delete"; file: string }
  | { type: "openJson"; file: string }
  | { type: "selectWorkflow"; file: string }
  | { type: "compareWith"; file: string }
  | { type: "closeCompare" };

export type ExtensionMessage =
  | { type: "state"; state: InspectorState }
  | { type: "busy"; busy: boolean; label?: string };
