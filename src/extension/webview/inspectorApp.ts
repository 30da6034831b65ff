// The Workflow Inspector's page script: renders the state the extension posts, sends user actions back.
import type {
  ArgView,
  DiffView,
  ErrorView,
  HistoryView,
  InspectorState,
  RunView,
  StepView,
  WorkflowView,
} from "../inspector/inspectorModel";
import type { ExtensionMessage, WebviewMessage } from "../inspector/inspectorProtocol";
import { comparePicker, comparisonSection } from "./compareView";
import { applyMessage, type PageState } from "./inspectorPageState";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("app") as HTMLElement;
let page: PageState = { current: undefined, busy: false };

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

function button(label: string, testId: string, message: WebviewMessage, secondary = false, title?: string): HTMLButtonElement {
  const element = h("button", { type: "button", "data-testid": testId, class: secondary ? "secondary" : undefined, title });
  element.textContent = label;
  element.disabled = page.busy;
  element.addEventListener("click", () => vscode.postMessage(message));
  return element;
}

function errorLine(error: ErrorView): HTMLElement {
  return h("div", { class: "fail", "data-testid": "error" }, `${error.kind} at ${error.stage}: ${error.message}`);
}

function highlightStep(step: number | undefined, focus: boolean): void {
  for (const card of document.querySelectorAll<HTMLElement>('[data-testid="step-card"]')) {
    const match = step !== undefined && card.dataset.step === String(step);
    card.classList.toggle("highlight", match);
    if (match && focus) card.focus();
  }
}

function argRow(arg: ArgView): HTMLTableRowElement {
  const refs = arg.refs.map((ref) => {
    const link = h("button", { type: "button", class: "ref secondary", "data-testid": "arg-ref", "data-ref": String(ref), title: `Show step ${ref}` });
    link.textContent = ref === 0 ? "input" : `step ${ref}`;
    link.addEventListener("click", () => highlightStep(ref, true));
    return link;
  });
  const row = h(
    "tr",
    { "data-testid": "arg-row", "data-arg": arg.name, "data-wiring": arg.kind },
    h("td", { class: "arg-name" }, arg.name),
    h("td", {}, h("span", { class: "wiring", "data-wiring": arg.kind }, arg.kind)),
    h("td", { class: "arg-value" }, arg.text),
    h("td", {}, ...refs),
  );
  const first = arg.refs[0];
  row.addEventListener("mouseenter", () => highlightStep(first, false));
  row.addEventListener("mouseleave", () => highlightStep(undefined, false));
  return row;
}

function stepCard(step: StepView): HTMLElement {
  const label = step.kind === "input" ? "Input" : step.kind === "output" ? "Output" : `Step ${step.id}`;
  const usedBy = step.usedBy.length > 0 ? `used by ${step.usedBy.map((id) => `step ${id}`).join(", ")}` : "";
  const card = h(
    "section",
    { class: "card", tabindex: "-1", "data-testid": "step-card", "data-step": String(step.id), "data-kind": step.kind, "aria-label": `${label}: ${step.title}` },
    h("header", {}, h("span", { class: "step-no" }, label), h("span", { class: "title" }, step.title), h("span", { class: "muted" }, usedBy)),
  );
  if (step.fields.length > 0) card.append(h("div", { class: "muted" }, `fields: ${step.fields.join(", ")}`));
  if (step.args.length > 0) card.append(h("table", { class: "args" }, h("tbody", {}, ...step.args.map(argRow))));
  return card;
}

function graph(workflow: WorkflowView): HTMLElement {
  const container = h("div", { class: "graph", "data-testid": "step-graph", role: "list" });
  workflow.steps.forEach((step, index) => {
    if (index > 0) container.append(h("div", { class: "connector", "aria-hidden": "true" }));
    container.append(stepCard(step));
  });
  return container;
}

function diffTable(diffs: DiffView[]): HTMLElement {
  return h(
    "table",
    { class: "diffs", "data-testid": "test-diffs" },
    h("thead", {}, h("tr", {}, h("th", {}, "path"), h("th", {}, "kind"), h("th", {}, "expected"), h("th", {}, "actual"), h("th", {}, "produced by"))),
    h(
      "tbody",
      {},
      ...diffs.map((diff) =>
        h("tr", {}, h("td", {}, diff.path), h("td", {}, diff.kind), h("td", {}, diff.expected ?? ""), h("td", {}, diff.actual ?? ""), h("td", {}, diff.producedBy ?? "")),
      ),
    ),
  );
}

function historyEntry(entry: HistoryView): HTMLElement {
  const where = [`loop ${entry.loop + 1}`, `attempt ${entry.attempt}`, entry.step === undefined ? "" : `step ${entry.step}`].filter(Boolean).join(", ");
  return h(
    "div",
    { class: `entry ${entry.ok ? "passed" : "failed"}`, "data-testid": "history-entry", "data-stage": entry.stage, "data-ok": String(entry.ok) },
    h("div", {}, h("strong", {}, entry.stage), " ", h("span", { class: entry.ok ? "ok" : "fail" }, entry.ok ? "ok" : "failed"), " ", h("span", { class: "muted" }, `${where} · ${entry.at}`)),
    entry.verdict ? h("div", {}, `Verdict: ${entry.verdict.decision ? "possible" : "not possible"}. ${entry.verdict.justification}`) : null,
    entry.error ? errorLine(entry.error) : null,
    entry.diffs.length > 0 ? diffTable(entry.diffs) : null,
    entry.note ? h("details", {}, h("summary", {}, "details"), h("pre", {}, entry.note)) : null,
  );
}

function runEntry(run: RunView): HTMLElement {
  const how = run.reused === undefined ? "" : run.reused ? " · stored workflow" : " · newly planned";
  return h(
    "div",
    { class: `entry ${run.ok ? "passed" : "failed"}`, "data-testid": "run-entry", "data-ok": String(run.ok) },
    h("div", {}, h("strong", {}, `Run ${run.id}`), " ", h("span", { class: run.ok ? "ok" : "fail" }, run.ok ? "succeeded" : "failed"), h("span", { class: "muted" }, ` · ${run.startedAt} · ${run.durationMs} ms${how}`)),
    run.error ? errorLine(run.error) : null,
    h("details", {}, h("summary", {}, "input"), h("pre", {}, run.input)),
    run.output === undefined ? null : h("details", { open: "" }, h("summary", {}, "output"), h("pre", { "data-testid": "run-output" }, run.output)),
    ...run.steps.map((step) =>
      h(
        "details",
        { "data-testid": "run-step", "data-step": String(step.step) },
        h("summary", {}, `step ${step.step} ${step.tool} · ${step.durationMs} ms${step.error ? " · failed" : ""}`),
        h("div", { class: "muted" }, "input"),
        h("pre", {}, step.input),
        step.output === undefined ? null : h("div", { class: "muted" }, "output"),
        step.output === undefined ? null : h("pre", {}, step.output),
        step.error ? errorLine(step.error) : null,
      ),
    ),
  );
}

function workflowPicker(state: InspectorState): HTMLElement | null {
  if (state.workflows.length === 0) return null;
  const select = h("select", { "data-testid": "workflow-select", "aria-label": "Stored workflow" });
  for (const choice of state.workflows) {
    const option = h("option", { value: choice.file }, `${choice.savedAt} · ${choice.completed ? "completed" : "failed"}`);
    option.selected = choice.file === state.selected?.file;
    select.append(option);
  }
  select.addEventListener("change", () => vscode.postMessage({ type: "selectWorkflow", file: select.value }));
  return h("label", {}, "Workflow ", select);
}

function render(state: InspectorState): void {
  const selected = state.selected;
  const actions = h(
    "div",
    { class: "toolbar", role: "toolbar", "aria-label": "Workflow actions" },
    button("Run", "action-run", { type: "run" }, false, "Run the function with new input"),
    button("Replan", "action-replan", { type: "replan" }, true, "Plan a new workflow even if one is stored"),
    selected ? button("Open JSON", "action-open-json", { type: "openJson", file: selected.file }, true) : null,
    selected ? button("Delete", "action-delete", { type: "delete", file: selected.file }, true, "Delete this workflow file") : null,
    workflowPicker(state),
    comparePicker(state, (message) => vscode.postMessage(message), page.busy),
    page.busy ? h("span", { class: "muted", "data-testid": "busy" }, "working…") : null,
  );
  const sections: Child[] = [
    h("h1", { "data-testid": "function-name" }, state.functionName),
    h("p", { class: "description" }, `${state.description} (${state.folderName})`),
    actions,
  ];
  if (!selected) {
    sections.push(h("p", { "data-testid": "no-workflow" }, "No workflow is stored for this function yet. Run or replan it to create one."));
  } else {
    sections.push(
      h("div", { class: "muted", "data-testid": "workflow-meta" },
        h("span", { class: `badge` }, selected.completed ? "completed" : "failed"),
        ` ${selected.id} · ${selected.model} · ${selected.stats.llmCalls} LLM calls · ${selected.stats.retries} attempt${selected.stats.retries === 1 ? "" : "s"} · ${selected.stats.durationMs} ms planning`),
      selected.lastError ? errorLine(selected.lastError) : null,
      state.comparison ? comparisonSection(state.comparison) : null,
      h("h2", {}, "Steps"),
      graph(selected),
      h("h2", {}, "Planning history"),
      selected.initCheck
        ? h("div", { "data-testid": "init-check" }, h("strong", {}, "Init check: "), selected.initCheck.decision ? "possible" : "not possible", ` (${selected.initCheck.votes} vote${selected.initCheck.votes === 1 ? "" : "s"}). ${selected.initCheck.justification}`)
        : h("div", { class: "muted", "data-testid": "init-check" }, "Init check skipped."),
      ...(selected.history.length > 0 ? selected.history.map(historyEntry) : [h("p", { class: "muted" }, "No planning records.")]),
    );
  }
  sections.push(h("h2", {}, "Recent runs"));
  sections.push(...(state.runs.length > 0 ? state.runs.map(runEntry) : [h("p", { class: "muted", "data-testid": "no-runs" }, "No runs in this session yet.")]));
  root.replaceChildren(...sections.filter((child): child is Node | string => Boolean(child)));
}

function isStateMessage(data: unknown): data is ExtensionMessage {
  return typeof data === "object" && data !== null && "type" in data && (data.type === "state" || data.type === "busy");
}

window.addEventListener("message", (event: MessageEvent<unknown>) => {
  if (!isStateMessage(event.data)) return;
  page = applyMessage(page, event.data);
  if (event.data.type === "state") vscode.setState(page.current);
  if (page.current) render(page.current);
});

// Shown at once from the saved state when the panel comes back; the extension then re-posts fresh state.
const saved = vscode.getState() as InspectorState | undefined;
if (saved && typeof saved === "object" && "functionName" in saved) {
  page = { ...page, current: saved };
  render(saved);
}
vscode.postMessage({ type: "ready" });
