// The sections of the Workflow Inspector page, each a function of the state and the page's UI state.
import { describeError, formatDuration, formatTime } from "../displayFormat";
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
import { dataFlowGraph, nodeLabel } from "./dataFlowGraph";
import { disclosure, h, type Child } from "./dom";
import { isOpen, type PageUi } from "./inspectorPageState";

export function errorLine(error: ErrorView): HTMLElement {
  return h("div", { class: "fail", "data-testid": "error" }, describeError(error));
}

function actionButton(
  label: string,
  testId: string,
  action: string,
  busy: boolean,
  options: { secondary?: boolean; title?: string; file?: string } = {},
): HTMLButtonElement {
  const element = h(
    "button",
    {
      type: "button",
      "data-testid": testId,
      "data-action": action,
      "data-file": options.file,
      class: options.secondary ? "secondary" : undefined,
      title: options.title,
      "data-key": `action-${action}`,
    },
    label,
  );
  element.disabled = busy;
  return element;
}

function workflowPicker(state: InspectorState): HTMLElement | null {
  if (state.workflows.length === 0) return null;
  const select = h("select", {
    "data-testid": "workflow-select",
    "aria-label": "Stored workflow",
    "data-key": "workflow-select",
  });
  for (const choice of state.workflows) {
    const option = h(
      "option",
      { value: choice.file },
      `${formatTime(choice.savedAt)} · ${choice.completed ? "completed" : "failed"}`,
    );
    if (choice.file === state.selected?.file) option.setAttribute("selected", "");
    select.append(option);
  }
  return h("label", {}, "Workflow ", select);
}

export function header(state: InspectorState, busy: boolean): Child[] {
  const selected = state.selected;
  return [
    h("h1", { "data-testid": "function-name" }, state.functionName),
    h("p", { class: "description" }, `${state.description} (${state.folderName})`),
    // Why the function is not ready: the tool and file whose code changed, the test that fails.
    state.status && state.status.reason !== undefined
      ? h(
          "p",
          { class: "status-reason", "data-testid": "status-reason", "data-status": state.status.status },
          `${state.status.status.replace(/_/g, " ")}: ${state.status.reason}`,
        )
      : null,
    h(
      "div",
      { class: "toolbar", role: "toolbar", "aria-label": "Workflow actions", "data-key": "toolbar" },
      actionButton("Run", "action-run", "run", busy, { title: "Run the function with new input" }),
      actionButton("Replan", "action-replan", "replan", busy, {
        secondary: true,
        title: "Plan a new workflow even if one is stored",
      }),
      selected
        ? actionButton("Open JSON", "action-open-json", "openJson", busy, { secondary: true, file: selected.file })
        : null,
      selected
        ? actionButton("Delete", "action-delete", "delete", busy, {
            secondary: true,
            title: "Delete this workflow file",
            file: selected.file,
          })
        : null,
      workflowPicker(state),
    ),
  ];
}

function refButton(step: number): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      class: "ref secondary",
      "data-testid": "arg-ref",
      "data-action": "select-node",
      "data-step": String(step),
      title: `Show step ${step}`,
    },
    step === 0 ? "input" : `step ${step}`,
  );
}

function argRow(arg: ArgView): HTMLTableRowElement {
  return h(
    "tr",
    { "data-testid": "arg-row", "data-arg": arg.name, "data-wiring": arg.kind },
    h("th", { scope: "row", class: "arg-name" }, arg.name),
    h("td", {}, h("span", { class: "wiring", "data-wiring": arg.kind }, arg.kind)),
    h("td", { class: "arg-value" }, arg.text),
    h("td", {}, ...arg.refs.map(refButton)),
  );
}

/** The newest run of this workflow that reached `step`, and what the step got and gave. */
function lastRunOf(step: StepView, workflow: WorkflowView, runs: readonly RunView[]): HTMLElement {
  const run = runs.find(
    (candidate) =>
      candidate.workflowId === workflow.id &&
      (step.kind !== "tool" || candidate.steps.some((traced) => traced.step === step.id)),
  );
  if (!run)
    return h(
      "p",
      { class: "muted", "data-testid": "node-last-run" },
      "No run of this workflow in the run history yet.",
    );
  const when = `Run ${run.id} · ${formatTime(run.startedAt)}`;
  if (step.kind === "input")
    return h("div", { "data-testid": "node-last-run" }, h("div", { class: "muted" }, when), h("pre", {}, run.input));
  if (step.kind === "output") {
    return h(
      "div",
      { "data-testid": "node-last-run" },
      h("div", { class: "muted" }, when),
      run.output === undefined ? (run.error ? errorLine(run.error) : null) : h("pre", {}, run.output),
    );
  }
  const traced = run.steps.find((candidate) => candidate.step === step.id);
  if (!traced) return h("p", { class: "muted", "data-testid": "node-last-run" }, "Not reached in the last run.");
  return h(
    "div",
    { "data-testid": "node-last-run" },
    h("div", { class: "muted" }, `${when} · ${formatDuration(traced.durationMs)}${traced.error ? " · failed" : ""}`),
    h("div", { class: "muted" }, "input"),
    h("pre", {}, traced.input),
    traced.output === undefined ? null : h("div", { class: "muted" }, "output"),
    traced.output === undefined ? null : h("pre", {}, traced.output),
    traced.error ? errorLine(traced.error) : null,
  );
}

function nodeDetails(workflow: WorkflowView, runs: readonly RunView[], selectedStep: number | undefined): HTMLElement {
  const step = workflow.steps.find((candidate) => candidate.id === selectedStep);
  if (!step)
    return h(
      "p",
      { class: "muted", "data-testid": "node-details", "data-key": "node-details" },
      "Select a node to see its wiring and its last run.",
    );
  const readBy = workflow.edges.filter((edge) => edge.from === step.id);
  return h(
    "section",
    {
      class: "node-details",
      "data-testid": "node-details",
      "data-step": String(step.id),
      "aria-label": `${nodeLabel(step)} details`,
      "data-key": "node-details",
    },
    h(
      "h3",
      {},
      `${nodeLabel(step)}: ${step.kind === "tool" ? step.title : step.kind === "input" ? "function input" : "function output"}`,
    ),
    step.toolId ? h("div", { class: "muted" }, `tool id ${step.toolId.slice(0, 12)}`) : null,
    step.fields.length > 0 ? h("div", { class: "muted" }, `fields: ${step.fields.join(", ")}`) : null,
    step.args.length > 0
      ? h("table", { class: "args", "aria-label": "Arguments" }, h("tbody", {}, ...step.args.map(argRow)))
      : step.kind === "tool"
        ? h("p", { class: "muted" }, "Takes no arguments.")
        : null,
    readBy.length > 0
      ? h(
          "div",
          { "data-testid": "node-read-by" },
          "Read by ",
          ...readBy.flatMap((edge, index) => [
            index > 0 ? ", " : "",
            refButton(edge.to),
            ` (${edge.fields.join(", ")})`,
          ]),
        )
      : null,
    h("h4", {}, "Last run"),
    lastRunOf(step, workflow, runs),
  );
}

function diffTable(diffs: DiffView[]): HTMLElement {
  return h(
    "table",
    { class: "diffs", "data-testid": "test-diffs" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "path"),
        h("th", { scope: "col" }, "kind"),
        h("th", { scope: "col" }, "expected"),
        h("th", { scope: "col" }, "actual"),
        h("th", { scope: "col" }, "produced by"),
      ),
    ),
    h(
      "tbody",
      {},
      ...diffs.map((diff) =>
        h(
          "tr",
          {},
          h("td", {}, diff.path),
          h("td", {}, diff.kind),
          h("td", {}, diff.expected ?? ""),
          h("td", {}, diff.actual ?? ""),
          h("td", {}, diff.producedBy ?? ""),
        ),
      ),
    ),
  );
}

function outcome(ok: boolean, okText: string, failText: string): HTMLElement {
  return h("span", { class: ok ? "ok" : "fail", "data-ok": String(ok) }, ok ? `✓ ${okText}` : `✗ ${failText}`);
}

function historyEntry(entry: HistoryView, index: number, ui: PageUi): HTMLElement {
  const where = [
    `loop ${entry.loop + 1}`,
    `attempt ${entry.attempt}`,
    entry.step === undefined ? "" : `step ${entry.step}`,
  ]
    .filter(Boolean)
    .join(", ");
  const key = `history-${index}`;
  return h(
    "li",
    {
      class: `entry ${entry.ok ? "passed" : "failed"}`,
      "data-testid": "history-entry",
      "data-stage": entry.stage,
      "data-ok": String(entry.ok),
      "data-key": key,
    },
    h(
      "div",
      {},
      h("strong", {}, entry.stage),
      " ",
      outcome(entry.ok, "ok", "failed"),
      " ",
      h("span", { class: "muted" }, `${where} · ${formatTime(entry.at)}`),
    ),
    entry.verdict
      ? h("div", {}, `Verdict: ${entry.verdict.decision ? "possible" : "not possible"}. ${entry.verdict.justification}`)
      : null,
    entry.error ? errorLine(entry.error) : null,
    entry.diffs.length > 0 ? diffTable(entry.diffs) : null,
    entry.note ? disclosure(`${key}-note`, isOpen(ui, `${key}-note`), "details", h("pre", {}, entry.note)) : null,
    entry.usage ? h("div", { class: "muted", "data-testid": "call-usage" }, entry.usage) : null,
    entry.warning ? h("div", { class: "fail", "data-testid": "call-warning" }, entry.warning) : null,
    entry.tools
      ? disclosure(
          `${key}-tools`,
          isOpen(ui, `${key}-tools`),
          `${entry.tools.length} tools shown`,
          h("pre", {}, entry.tools.join(", ")),
        )
      : null,
    entry.thinking
      ? disclosure(
          `${key}-thinking`,
          isOpen(ui, `${key}-thinking`),
          "thinking",
          h("pre", { "data-testid": "call-thinking" }, entry.thinking),
        )
      : null,
  );
}

function runEntry(run: RunView, ui: PageUi): HTMLElement {
  const how = run.reused === undefined ? "" : run.reused ? " · stored workflow" : " · newly planned";
  const key = `run-${run.id}`;
  return h(
    "li",
    {
      class: `entry ${run.ok ? "passed" : "failed"}`,
      "data-testid": "run-entry",
      "data-ok": String(run.ok),
      "data-key": key,
    },
    h(
      "div",
      {},
      h("strong", {}, `Run ${run.id}`),
      " ",
      outcome(run.ok, "succeeded", "failed"),
      h("span", { class: "muted" }, ` · ${formatTime(run.startedAt)} · ${formatDuration(run.durationMs)}${how}`),
    ),
    run.error ? errorLine(run.error) : null,
    run.warning ? h("div", { class: "fail", "data-testid": "run-warning" }, `Unverified: ${run.warning}`) : null,
    disclosure(`${key}-input`, isOpen(ui, `${key}-input`), "input", h("pre", {}, run.input)),
    run.output === undefined
      ? null
      : disclosure(
          `${key}-output`,
          isOpen(ui, `${key}-output`, true),
          "output",
          h("pre", { "data-testid": "run-output" }, run.output),
        ),
    ...run.steps.map((step) => {
      const stepKey = `${key}-step-${step.step}`;
      return h(
        "div",
        { "data-testid": "run-step", "data-step": String(step.step) },
        disclosure(
          stepKey,
          isOpen(ui, stepKey),
          `step ${step.step} ${step.tool} · ${formatDuration(step.durationMs)}${step.error ? " · failed" : ""}`,
          h("div", { class: "muted" }, "input"),
          h("pre", {}, step.input),
          step.output === undefined ? null : h("div", { class: "muted" }, "output"),
          step.output === undefined ? null : h("pre", {}, step.output),
          step.error ? errorLine(step.error) : null,
        ),
      );
    }),
  );
}

export function workflowSection(state: InspectorState, ui: PageUi): Child[] {
  const selected = state.selected;
  if (!selected)
    return [
      h(
        "p",
        { "data-testid": "no-workflow" },
        "No workflow is stored for this function yet. Run or replan it to create one.",
      ),
    ];
  const attempts = `${selected.stats.retries} attempt${selected.stats.retries === 1 ? "" : "s"}`;
  return [
    h(
      "div",
      { class: "muted", "data-testid": "workflow-meta" },
      h("span", { class: "badge" }, selected.completed ? "completed" : "failed"),
      ` ${selected.id.slice(0, 12)} · saved ${formatTime(selected.savedAt)} · ${selected.model} · ${selected.stats.llmCalls} LLM calls · ${attempts} · ${formatDuration(selected.stats.durationMs)} planning`,
    ),
    selected.lastError ? errorLine(selected.lastError) : null,
    h("h2", {}, "Data flow"),
    dataFlowGraph(selected, ui.selectedStep),
    nodeDetails(selected, state.runs, ui.selectedStep),
  ];
}

export function historySection(state: InspectorState, ui: PageUi): Child[] {
  const selected = state.selected;
  if (!selected) return [];
  return [
    h("h2", {}, "Planning history"),
    selected.usage
      ? h("div", { class: "muted", "data-testid": "planning-usage" }, `LLM usage, all calls: ${selected.usage}`)
      : null,
    selected.initCheck
      ? h(
          "div",
          { "data-testid": "init-check" },
          h("strong", {}, "Init check: "),
          selected.initCheck.decision ? "possible" : "not possible",
          ` (${selected.initCheck.votes} vote${selected.initCheck.votes === 1 ? "" : "s"}). ${selected.initCheck.justification}`,
        )
      : h("div", { class: "muted", "data-testid": "init-check" }, "Init check skipped."),
    selected.history.length > 0
      ? h(
          "ol",
          { class: "entries", "aria-label": "Planning records", "data-key": "history" },
          ...selected.history.map((entry, index) => historyEntry(entry, index, ui)),
        )
      : h("p", { class: "muted" }, "No planning records."),
  ];
}

export function runsSection(state: InspectorState, ui: PageUi): Child[] {
  return [
    h("h2", {}, "Recent runs"),
    state.runs.length > 0
      ? h(
          "ol",
          { class: "entries", "aria-label": "Recent runs, newest first", "data-key": "runs" },
          ...state.runs.map((run) => runEntry(run, ui)),
        )
      : h("p", { class: "muted", "data-testid": "no-runs" }, "No runs yet."),
  ];
}
