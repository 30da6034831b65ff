import { formatPath } from "../workflow/references";
import { OUTPUT_STEP, type WorkflowFile } from "../workflow/types";
import { stepWiring } from "./stepWiring";

/** Mermaid text in a quoted label: quotes and angle brackets as entities, no line breaks. */
function label(text: string): string {
  return text.replace(/\s+/g, " ").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/**
 * The workflow as a Mermaid flowchart: one node per step (0 is the function input) and one edge
 * per step that another reads, labelled with what flows: `path → arg` (templates as `{{path}} → arg`).
 */
export function workflowMermaid(workflow: WorkflowFile): string {
  const lines = ["flowchart TD", `  s0(["input"])`];
  for (const step of workflow.steps) {
    lines.push(
      step.tool === OUTPUT_STEP ? `  s${step.id}(["output"])` : `  s${step.id}["${step.id}. ${label(step.tool)}"]`,
    );
  }
  for (const step of workflow.steps) {
    const flows = new Map<number, string[]>();
    for (const wiring of stepWiring(step)) {
      for (const ref of wiring.reads) {
        const path = formatPath(ref.path).replace(/^\./, "") || "(whole output)";
        const text =
          wiring.kind === "template"
            ? `{{${path}}} → ${wiring.arg}`
            : path === wiring.arg
              ? path
              : `${path} → ${wiring.arg}`;
        const list = flows.get(ref.step) ?? [];
        if (!list.includes(text)) list.push(text);
        flows.set(ref.step, list);
      }
    }
    for (const [source, texts] of [...flows].sort(([a], [b]) => a - b)) {
      lines.push(`  s${source} -->|"${texts.map(label).join("<br/>")}"| s${step.id}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
