import type { InspectorState } from "../inspector/inspectorModel";
import type { ExtensionMessage } from "../inspector/inspectorProtocol";

/** What the inspector page shows: the last state posted, and whether an action is under way. */
export interface PageState {
  current: InspectorState | undefined;
  busy: boolean;
}

/**
 * A new state replaces what is shown but leaves the working indicator alone: a workflow file
 * written mid-planning posts state too. Only the `busy` message that ends the action clears it.
 */
export function applyMessage(page: PageState, message: ExtensionMessage): PageState {
  return message.type === "state" ? { current: message.state, busy: page.busy } : { current: page.current, busy: message.busy };
}
