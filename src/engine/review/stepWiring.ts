import { formatPath, parseReference, parseTemplate, type Reference } from "../workflow/references";
import type { StepArg, WorkflowStep } from "../workflow/types";

/** Where one argument of a step reads from: the earlier steps and paths it references. */
export interface ArgWiring {
  arg: string;
  kind: "value" | "ref" | "template";
  /** References the argument reads (one for a ref, any number for a template, none for a value). */
  reads: Reference[];
}

/** The references an argument reads; unparseable ones are left out (a stored workflow is checked on load). */
export function argWiring(arg: string, value: StepArg): ArgWiring {
  if ("ref" in value) {
    const ref = parseReference(value.ref);
    return { arg, kind: "ref", reads: ref.ok ? [ref.value] : [] };
  }
  if ("template" in value) {
    const parts = parseTemplate(value.template);
    const reads = parts.ok ? parts.value.flatMap((part) => ("ref" in part ? [part.ref] : [])) : [];
    return { arg, kind: "template", reads };
  }
  return { arg, kind: "value", reads: [] };
}

export function stepWiring(step: WorkflowStep): ArgWiring[] {
  return Object.entries(step.args).map(([arg, value]) => argWiring(arg, value));
}

/**
 * Names every step by its tool, numbered when a tool appears more than once (`geocode#2`), so
 * that two versions of a workflow can be compared without depending on step numbers.
 */
export function stepLabels(steps: readonly WorkflowStep[]): Map<number, string> {
  const total = new Map<string, number>();
  for (const step of steps) total.set(step.tool, (total.get(step.tool) ?? 0) + 1);
  const seen = new Map<string, number>();
  const labels = new Map<number, string>([[0, "input"]]);
  for (const step of steps) {
    const count = (seen.get(step.tool) ?? 0) + 1;
    seen.set(step.tool, count);
    labels.set(step.id, (total.get(step.tool) ?? 0) > 1 ? `${step.tool}#${count}` : step.tool);
  }
  return labels;
}

/** An argument as text, with references named by step label instead of step number. */
export function argText(value: StepArg, labels: ReadonlyMap<number, string>): string {
  const name = (ref: Reference) => `${labels.get(ref.step) ?? `step ${ref.step}`}.output${formatPath(ref.path)}`;
  if ("ref" in value) {
    const ref = parseReference(value.ref);
    return ref.ok ? name(ref.value) : value.ref;
  }
  if ("template" in value) {
    const parts = parseTemplate(value.template);
    if (!parts.ok) return JSON.stringify(value.template);
    return JSON.stringify(parts.value.map((part) => ("text" in part ? part.text : `{{${name(part.ref)}}}`)).join(""));
  }
  return JSON.stringify(value.value);
}
