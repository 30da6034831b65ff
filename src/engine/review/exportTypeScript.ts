import type { JsonSchema } from "../jsonSchema";
import { schemaAtPath, jsonTypesOf } from "../workflow/schemaAtPath";
import { parseReference, parseTemplate, type PathSegment, type Reference } from "../workflow/references";
import { OUTPUT_STEP, type StepArg, type WorkflowFile } from "../workflow/types";

/** Where a declaration can be imported from, as the ejected file will import it. */
export interface ExportedBinding {
  /** Module specifier relative to the ejected file, e.g. `./weather.llm`. */
  module: string;
  exportName: string;
}

export interface EjectTarget {
  /** The function's own declaration: imported for its types only. */
  declaration: ExportedBinding;
  /** Every tool the workflow uses, by tool name, with its output schema (to render templates as the runner does). */
  tools: ReadonlyMap<string, ExportedBinding & { outputSchema: JsonSchema }>;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(["input", "call", "z", "declared", "Input", "Output"]);

function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const text = words.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join("");
  return IDENTIFIER.test(text) ? text : `_${text}`;
}

function access(base: string, path: readonly PathSegment[]): string {
  let text = base;
  for (const segment of path) {
    // Arrays may be shorter than the plan assumed; the runner fails there too, so the code says so.
    if (typeof segment === "number") text += `[${segment}]!`;
    else text += IDENTIFIER.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function stringLiteralContent(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
}

/**
 * The workflow as a standalone TypeScript function: it imports the user's tools and calls their
 * handlers directly, step by step, with the same checks the runner makes (each tool's input and
 * output parsed with its own zod schema). No llm-function runtime and no LLM are involved.
 */
export function workflowTypeScript(workflow: WorkflowFile, target: EjectTarget): string {
  const functionName = camelCase(workflow.task.name);
  const used = new Set<string>([...RESERVED, functionName]);
  const unique = (wanted: string) => {
    let name = wanted;
    for (let n = 2; used.has(name); n++) name = `${wanted}${n}`;
    used.add(name);
    return name;
  };

  // Tool bindings, grouped by module, aliased when two modules export the same name.
  const bindings = new Map<string, string>();
  const imports = new Map<string, string[]>();
  for (const step of workflow.steps) {
    if (step.tool === OUTPUT_STEP || bindings.has(step.tool)) continue;
    const tool = target.tools.get(step.tool);
    if (!tool) throw new Error(`The workflow uses tool "${step.tool}", which is not declared in this workspace.`);
    const local = unique(tool.exportName);
    bindings.set(step.tool, local);
    const list = imports.get(tool.module) ?? [];
    list.push(local === tool.exportName ? local : `${tool.exportName} as ${local}`);
    imports.set(tool.module, list);
  }

  const variables = new Map<number, string>([[0, "input"]]);
  const schemas = new Map<number, JsonSchema>([[0, workflow.task.inputSchema]]);
  const reference = (ref: Reference) => access(variables.get(ref.step) ?? `step${ref.step}`, ref.path);
  const isScalar = (ref: Reference) => {
    const root = schemas.get(ref.step);
    const at = root ? schemaAtPath(root, ref.path) : undefined;
    const types = at && root ? jsonTypesOf(at, root) : "any";
    return types !== "any" && [...types].every((t) => ["string", "number", "integer", "boolean"].includes(t));
  };
  const expression = (arg: StepArg): string => {
    if ("value" in arg) return JSON.stringify(arg.value);
    if ("ref" in arg) {
      const ref = parseReference(arg.ref);
      if (!ref.ok) throw new Error(`Cannot export: ${ref.error}`);
      return reference(ref.value);
    }
    const parts = parseTemplate(arg.template);
    if (!parts.ok) throw new Error(`Cannot export: ${parts.error}`);
    // The runner writes objects and arrays into text as JSON, and scalars as they are.
    const body = parts.value
      .map((part) =>
        "text" in part
          ? stringLiteralContent(part.text)
          : isScalar(part.ref)
            ? `\${${reference(part.ref)}}`
            : `\${JSON.stringify(${reference(part.ref)})}`,
      )
      .join("");
    return `\`${body}\``;
  };
  const object = (args: Record<string, StepArg>, indent: string): string => {
    const entries = Object.entries(args).map(
      ([name, arg]) => `${indent}  ${IDENTIFIER.test(name) ? name : JSON.stringify(name)}: ${expression(arg)},`,
    );
    return entries.length === 0 ? "{}" : `{\n${entries.join("\n")}\n${indent}}`;
  };

  const body: string[] = [];
  for (const step of workflow.steps) {
    if (step.tool === OUTPUT_STEP) {
      body.push(`  return ${object(step.args, "  ")};`);
      continue;
    }
    const variable = unique(`${camelCase(step.tool)}Out`);
    body.push(`  const ${variable} = await call(${bindings.get(step.tool)}, ${object(step.args, "  ")});`);
    variables.set(step.id, variable);
    const schema = target.tools.get(step.tool)?.outputSchema;
    if (schema) schemas.set(step.id, schema);
  }

  const description = workflow.task.description
    .trim()
    .replace(/\*\//g, "*\\/")
    .split("\n")
    .map((line) => ` * ${line.trim()}`.trimEnd());
  const importLines = [...imports]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => `import { ${names.sort().join(", ")} } from ${JSON.stringify(module)};`);
  return [
    `// ${workflow.task.name}, ejected from workflow ${workflow.id} (planned ${workflow.savedAt}) by \`llmfn export --format ts\`.`,
    "// It calls the tools' handlers directly: no llm-function runtime and no LLM. Export again after a replan.",
    `import type { z } from "zod";`,
    `import type { ${target.declaration.exportName} as declared } from ${JSON.stringify(target.declaration.module)};`,
    ...importLines,
    "",
    "type Input = z.input<typeof declared.input>;",
    "type Output = z.output<typeof declared.output>;",
    "",
    "/**",
    ...description,
    " */",
    `export async function ${functionName}(input: Input): Promise<Output> {`,
    ...body,
    "}",
    "",
    "/** One step, checked as the workflow runner checks it: the tool's input and output parsed with its own schemas. */",
    "async function call<I extends z.ZodType, O extends z.ZodType>(",
    "  tool: { input: I; output: O; handler: (input: z.output<I>, context: { signal?: AbortSignal }) => unknown },",
    "  input: z.input<I>,",
    "): Promise<z.output<O>> {",
    "  return tool.output.parse(await tool.handler(tool.input.parse(input), {}));",
    "}",
    "",
  ].join("\n");
}
