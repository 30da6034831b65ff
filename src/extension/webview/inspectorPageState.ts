import type { InspectorState } from "../inspector/inspectorModel";
import type { ExtensionMessage } from "../inspector/inspectorProtocol";

/** What the reader changed on the page; saved with the state so a reload or a restored panel keeps it. */
export interface PageUi {
  /** The graph node whose wiring and last run are shown. */
  selectedStep?: number;
  /** Keys of `<details>` the reader opened, and of those open by default the reader closed. */
  opened: string[];
  closed: string[];
}

/** What the inspector page shows: the last state posted, whether an action is under way, the status line. */
export interface PageState {
  current: InspectorState | undefined;
  busy: boolean;
  /** The one line the aria-live region announces. */
  status: string;
  ui: PageUi;
}

export const EMPTY_UI: PageUi = { opened: [], closed: [] };

/** What the page saves with `setState`, and the panel serializer gets back after a window reload. */
export interface SavedPage {
  current: InspectorState;
  ui: PageUi;
}

function runStatus(previous: InspectorState | undefined, next: InspectorState): string | undefined {
  const newest = next.runs[0];
  if (!newest || previous?.runs[0]?.id === newest.id) return undefined;
  return `Run ${newest.id} ${newest.ok ? "succeeded" : "failed"}.`;
}

/**
 * A new state replaces what is shown but leaves the working indicator alone: a workflow file
 * written mid-planning posts state too. Only the `busy` message that ends the action clears it.
 */
export function applyMessage(page: PageState, message: ExtensionMessage): PageState {
  if (message.type === "state") {
    const status = page.busy ? page.status : (runStatus(page.current, message.state) ?? page.status);
    return { ...page, current: message.state, status };
  }
  return { ...page, busy: message.busy, status: message.busy ? `${message.label ?? "Working"}…` : "Done." };
}

/** Whether a disclosure is open: the reader's choice, else its default. */
export function isOpen(ui: PageUi, key: string, byDefault = false): boolean {
  if (ui.opened.includes(key)) return true;
  if (ui.closed.includes(key)) return false;
  return byDefault;
}

export function withDisclosure(ui: PageUi, key: string, open: boolean): PageUi {
  const opened = ui.opened.filter((candidate) => candidate !== key);
  const closed = ui.closed.filter((candidate) => candidate !== key);
  return open ? { ...ui, opened: [...opened, key], closed } : { ...ui, opened, closed: [...closed, key] };
}

export function isSavedPage(value: unknown): value is SavedPage {
  if (typeof value !== "object" || value === null) return false;
  const { current, ui } = value as Partial<SavedPage>;
  return (
    typeof current === "object" &&
    current !== null &&
    typeof current.functionName === "string" &&
    typeof current.folderUri === "string" &&
    typeof ui === "object" &&
    ui !== null &&
    Array.isArray(ui.opened) &&
    Array.isArray(ui.closed)
  );
}
