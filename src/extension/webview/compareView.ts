// The inspector's compare mode: a picker of the workflow to compare with, and the changes from it.
import type { ComparisonView } from "../inspector/inspectorCompare";
import type { InspectorState } from "../inspector/inspectorModel";
import type { WebviewMessage } from "../inspector/inspectorProtocol";
import type { ArgChange, StepChange } from "../../engine/review/workflowDiff";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** "Compare with" select over the other stored workflows; null when there is nothing to compare with. */
export function comparePicker(state: InspectorState, post: (message: WebviewMessage) => void, disabled: boolean): HTMLElement | null {
  const others = state.workflows.filter((choice) => choice.file !== state.selected?.file);
  if (!state.selected || others.length === 0) return null;
  const select = element("select", { "data-testid": "compare-select", "aria-label": "Compare with another workflow" }, element("option", { value: "" }, "none"));
  for (const choice of others) {
    const option = element("option", { value: choice.file }, `${choice.savedAt} · ${choice.completed ? "completed" : "failed"}`);
    option.selected = choice.file === state.comparison?.file;
    select.append(option);
  }
  select.disabled = disabled;
  select.addEventListener("change", () => post(select.value === "" ? { type: "closeCompare" } : { type: "compareWith", file: select.value }));
  return element("label", {}, "Compare with ", select);
}

function argLine(arg: ArgChange): string {
  if (arg.before === undefined) return `+ ${arg.arg} ← ${arg.after ?? ""}`;
  if (arg.after === undefined) return `− ${arg.arg} ← ${arg.before}`;
  return `${arg.arg}: ${arg.before} → ${arg.after}`;
}

function changeItem(change: StepChange): HTMLElement {
  const where =
    change.change === "added" ? `step ${change.after}` : change.change === "removed" ? `step ${change.before}` : `step ${change.before} → ${change.after}`;
  const sign = { unchanged: "=", added: "+", removed: "−", changed: "~" }[change.change];
  const item = element("li", { "data-testid": "compare-step", "data-change": change.change, class: `change-${change.change}` }, `${sign} ${change.tool} (${where})`);
  const details: string[] = [];
  if (change.change === "added") details.push(...change.args.map((a) => `${a.arg} ← ${a.after ?? ""}`));
  if (change.change === "removed") details.push(...change.args.map((a) => `${a.arg} ← ${a.before ?? ""}`));
  if (change.change === "changed") {
    if (change.toolId) details.push(`tool changed: ${change.toolId.before?.slice(0, 12) ?? "none"} → ${change.toolId.after?.slice(0, 12) ?? "none"}`);
    details.push(...change.rewired.map(argLine));
  }
  if (details.length > 0) item.append(element("ul", {}, ...details.map((text) => element("li", { class: "arg-value" }, text))));
  return item;
}

/** The changes from the compared workflow to the shown one: steps added, removed or rewired, tools changed, test outcomes. */
export function comparisonSection(comparison: ComparisonView): HTMLElement {
  const { diff } = comparison;
  const section = element(
    "section",
    { "data-testid": "comparison", "aria-label": "Comparison" },
    element("h2", {}, `Changes from ${diff.before.id.slice(0, 12)} (${diff.before.savedAt}) to ${diff.after.id.slice(0, 12)}`),
  );
  if (diff.taskChanged) section.append(element("p", { class: "fail" }, "The function's task or schemas differ between the two."));
  section.append(
    element("p", { "data-testid": "compare-tests" }, `Tests: ${diff.before.tests.status} → ${diff.after.tests.status} (${diff.after.tests.note})`),
    diff.changed ? element("ul", { class: "changes" }, ...diff.steps.map(changeItem)) : element("p", { class: "muted" }, "No difference in steps, wiring, tools or test outcome."),
  );
  return section;
}
