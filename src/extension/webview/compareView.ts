// The inspector's compare mode: a picker of the stored workflow to compare with, and the changes
// from it to the workflow shown (steps added, removed or rewired, tools changed, test outcomes).
import type { ArgChange, StepChange } from "../../engine/review/workflowDiff";
import type { ComparisonView } from "../inspector/inspectorCompare";
import { formatTime } from "../displayFormat";
import type { InspectorState } from "../inspector/inspectorModel";
import { h, type Child } from "./dom";

/** "Compare with" over the other stored workflows; its changes go to the extension (see inspectorApp). */
function comparePicker(state: InspectorState, busy: boolean): HTMLElement | null {
  const others = state.workflows.filter((choice) => choice.file !== state.selected?.file);
  if (!state.selected || others.length === 0) return null;
  const select = h(
    "select",
    { "data-testid": "compare-select", "aria-label": "Compare with another workflow", disabled: busy ? "" : undefined },
    h("option", { value: "" }, "none"),
  );
  for (const choice of others) {
    const option = h(
      "option",
      { value: choice.file },
      `${formatTime(choice.savedAt)} · ${choice.completed ? "completed" : "failed"}`,
    );
    if (choice.file === state.comparison?.file) option.setAttribute("selected", "");
    select.append(option);
  }
  return h("div", { class: "toolbar", "data-key": "compare-bar" }, h("label", {}, "Compare with ", select));
}

function argLine(arg: ArgChange): string {
  if (arg.before === undefined) return `+ ${arg.arg} ← ${arg.after ?? ""}`;
  if (arg.after === undefined) return `− ${arg.arg} ← ${arg.before}`;
  return `${arg.arg}: ${arg.before} → ${arg.after}`;
}

const SIGNS: Record<StepChange["change"], string> = { unchanged: "=", added: "+", removed: "−", changed: "~" };

function changeItem(change: StepChange): HTMLElement {
  const where =
    change.change === "added"
      ? `step ${change.after}`
      : change.change === "removed"
        ? `step ${change.before}`
        : `step ${change.before} → ${change.after}`;
  const details: string[] = [];
  if (change.change === "added") details.push(...change.args.map((a) => `${a.arg} ← ${a.after ?? ""}`));
  if (change.change === "removed") details.push(...change.args.map((a) => `${a.arg} ← ${a.before ?? ""}`));
  if (change.change === "changed") {
    if (change.toolId)
      details.push(
        `tool changed: ${change.toolId.before?.slice(0, 12) ?? "none"} → ${change.toolId.after?.slice(0, 12) ?? "none"}`,
      );
    details.push(...change.rewired.map(argLine));
  }
  return h(
    "li",
    { "data-testid": "compare-step", "data-change": change.change },
    `${SIGNS[change.change]} ${change.tool} (${where})`,
    details.length > 0 ? h("ul", {}, ...details.map((text) => h("li", { class: "arg-value" }, text))) : null,
  );
}

function comparison(view: ComparisonView): HTMLElement {
  const { diff } = view;
  return h(
    "section",
    { "data-testid": "comparison", "data-key": "comparison", "aria-label": "Comparison" },
    h(
      "h2",
      {},
      `Changes from ${diff.before.id.slice(0, 12)} (${formatTime(diff.before.savedAt)}) to ${diff.after.id.slice(0, 12)}`,
    ),
    diff.taskChanged ? h("p", { class: "fail" }, "The function's task or schemas differ between the two.") : null,
    h(
      "p",
      { "data-testid": "compare-tests" },
      `Tests: ${diff.before.tests.status} → ${diff.after.tests.status} (${diff.after.tests.note})`,
    ),
    diff.changed
      ? h("ul", { class: "changes" }, ...diff.steps.map(changeItem))
      : h("p", { class: "muted" }, "No difference in steps, wiring, tools or test outcome."),
  );
}

/** The picker, and the comparison when one is chosen. */
export function compareSection(state: InspectorState, busy: boolean): Child[] {
  return [comparePicker(state, busy), state.comparison ? comparison(state.comparison) : null];
}
