import { OUTPUT_STEP, type WorkflowFile } from "../workflow/types";
import { workflowMermaid } from "./exportMermaid";
import { argText, stepLabels } from "./stepWiring";
import { testOutcome } from "./workflowDiff";

/** Markdown table cell text: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\|/g, "\\|");
}

/** A summary of one workflow for a pull-request description: task, steps, graph, tests, cost. */
export function workflowMarkdown(workflow: WorkflowFile): string {
  const labels = stepLabels(workflow.steps);
  const tests = testOutcome(workflow);
  const { stats } = workflow;
  const lines = [
    `### \`${workflow.task.name}\`: workflow ${workflow.id.slice(0, 12)}`,
    "",
    `> ${workflow.task.description.trim().replace(/\n/g, "\n> ")}`,
    "",
    `- Status: ${workflow.completed ? "completed" : "incomplete"}${workflow.lastError ? ` (${workflow.lastError.kind}: ${cell(workflow.lastError.message)})` : ""}`,
    `- Tests: ${tests.status} (${tests.note})`,
    `- Planned by ${workflow.model} on ${workflow.savedAt}: ${stats.llmCalls} LLM calls, ${stats.retries} retries, ${stats.loops} loop${stats.loops === 1 ? "" : "s"}, ${Math.round(stats.durationMs)} ms`,
    "",
    "| step | tool | arguments |",
    "| --- | --- | --- |",
  ];
  for (const step of workflow.steps) {
    const args = Object.entries(step.args).map(([name, value]) => `\`${name}\` ← \`${argText(value, labels)}\``);
    const tool = step.tool === OUTPUT_STEP ? "**output**" : `\`${step.tool}\``;
    lines.push(`| ${step.id} | ${tool} | ${cell(args.join("<br>"))} |`);
  }
  lines.push("", "```mermaid", workflowMermaid(workflow).trimEnd(), "```", "");
  return lines.join("\n");
}
