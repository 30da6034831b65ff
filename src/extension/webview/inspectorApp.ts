// The Workflow Inspector's page script: renders the state the extension posts and patches the page in
// place (morphdom), so open sections, the selected node and the focus survive every update.
import morphdom from "morphdom";
import type { InspectorState } from "../inspector/inspectorModel";
import type { ExtensionMessage, WebviewMessage } from "../inspector/inspectorProtocol";
import { compareSection } from "./compareView";
import { neighbourStep } from "./dataFlowGraph";
import { h } from "./dom";
import {
  applyMessage,
  EMPTY_UI,
  isSavedPage,
  withDisclosure,
  type PageState,
  type SavedPage,
} from "./inspectorPageState";
import { header, historySection, runsSection, workflowSection } from "./inspectorSections";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: SavedPage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("app") as HTMLElement;
const statusRegion = document.getElementById("status") as HTMLElement;
let page: PageState = { current: undefined, busy: false, status: "", ui: EMPTY_UI };

function save(): void {
  if (page.current) vscode.setState({ current: page.current, ui: page.ui });
}

function view(state: InspectorState): HTMLElement {
  // Each part in a keyed box that is always there: a part that appears (the compare bar, once a
  // second workflow is stored) never shifts the others, which morphdom would then move, and a
  // moved element loses the focus.
  const parts = {
    header: header(state, page.busy),
    compare: compareSection(state, page.busy),
    workflow: workflowSection(state, page.ui),
    history: historySection(state, page.ui),
    runs: runsSection(state, page.ui),
  };
  return h(
    "main",
    { id: "app", "data-testid": "inspector-root" },
    ...Object.entries(parts).map(([key, children]) => h("div", { "data-key": `part-${key}` }, ...children)),
  );
}

function render(): void {
  if (statusRegion.textContent !== page.status) statusRegion.textContent = page.status;
  if (!page.current) return;
  morphdom(root, view(page.current), {
    getNodeKey: (node) =>
      node instanceof Element ? (node.getAttribute("data-key") ?? node.id) || undefined : undefined,
  });
}

function selectNode(step: number | undefined, focus: boolean): void {
  if (step === undefined) return;
  page = { ...page, ui: { ...page.ui, selectedStep: step } };
  save();
  render();
  if (focus) root.querySelector<SVGElement>(`[data-testid="graph-node"][data-step="${step}"]`)?.focus();
}

root.addEventListener("click", (event) => {
  const target = (event.target as Element).closest<HTMLElement | SVGElement>("[data-action]");
  if (!target || (target instanceof HTMLButtonElement && target.disabled)) return;
  const action = target.dataset.action;
  const file = target.dataset.file;
  if (action === "select-node") selectNode(Number(target.dataset.step), target.dataset.testid !== "graph-node");
  else if (action === "run" || action === "replan") vscode.postMessage({ type: action });
  else if ((action === "openJson" || action === "delete") && file) vscode.postMessage({ type: action, file });
});

// Nodes are SVG groups with role="button": Enter and Space select them as a click would.
const KEY_DIRECTIONS: Record<string, 1 | -1 | "first" | "last"> = {
  ArrowDown: 1,
  ArrowRight: 1,
  ArrowUp: -1,
  ArrowLeft: -1,
  Home: "first",
  End: "last",
};

root.addEventListener("keydown", (event) => {
  const node = (event.target as Element).closest<SVGElement>('[data-testid="graph-node"]');
  if (!node || !page.current?.selected) return;
  const step = Number(node.dataset.step);
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    selectNode(step, true);
    return;
  }
  const direction = KEY_DIRECTIONS[event.key];
  if (direction === undefined) return;
  event.preventDefault();
  selectNode(neighbourStep(page.current.selected.steps, step, direction), true);
});

root.addEventListener("change", (event) => {
  const target = event.target as HTMLElement;
  if (target instanceof HTMLSelectElement && target.dataset.testid === "workflow-select")
    vscode.postMessage({ type: "selectWorkflow", file: target.value });
  if (target instanceof HTMLSelectElement && target.dataset.testid === "compare-select") {
    vscode.postMessage(target.value === "" ? { type: "closeCompare" } : { type: "compareWith", file: target.value });
  }
});

// `toggle` does not bubble: listen in the capture phase.
root.addEventListener(
  "toggle",
  (event) => {
    const target = event.target;
    const key = target instanceof HTMLDetailsElement ? target.dataset.disclosure : undefined;
    if (!key || !(target instanceof HTMLDetailsElement)) return;
    page = { ...page, ui: withDisclosure(page.ui, key, target.open) };
    save();
  },
  true,
);

function isExtensionMessage(data: unknown): data is ExtensionMessage {
  return typeof data === "object" && data !== null && "type" in data && (data.type === "state" || data.type === "busy");
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (!isExtensionMessage(event.data)) return;
  page = applyMessage(page, event.data);
  save();
  render();
});

// A panel coming back (hidden and shown, or restored after a reload) shows its saved page at once;
// the extension then posts fresh state.
const saved = vscode.getState();
if (isSavedPage(saved)) {
  page = { ...page, current: saved.current, ui: saved.ui };
  render();
}
vscode.postMessage({ type: "ready" });
