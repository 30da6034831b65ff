import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { settingsFor, stringTool, workspaceWith, writeFiles } from "./workspaceFixtures";

before(requireBuilt);

describe("discovery", () => {
  const sessions: WorkspaceSession[] = [];
  after(async () => {
    await Promise.all(sessions.map((s) => s.dispose()));
  });
  const open = async (folder: string) => {
    const session = await WorkspaceSession.open(settingsFor(folder));
    sessions.push(session);
    return session;
  };

  it("finds tools and functions in TypeScript, ESM and CommonJS files, with their source positions, and runs them", async () => {
    const folder = await workspaceWith({
      "shout.llm.ts": stringTool("shout"),
      "nested/lower.llm.mjs": `import { tool } from "llm-function";
import { z } from "zod";
const lower = tool({ name: "lower", description: "Lower-case", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) }, ({ text }) => ({ text: text.toLowerCase() }));
export { lower as lowerTool };
`,
      "legacy.llm.js": `const { tool, llmFunction } = require("llm-function");
const { z } = require("zod");

exports.reverse = tool({ name: "reverse", description: "Reverse", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) }, ({ text }) => ({ text: [...text].reverse().join("") }));
exports.loud = llmFunction({ description: "Shout the text", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }), tests: [{ input: { text: "a" }, expected: { text: "A" } }] });
`,
      "node_modules/pkg/ignored.llm.ts": stringTool("ignored"),
    });
    const session = await open(folder);
    const { tools, functions, diagnostics, files } = session.discovery;
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(
      files.map((f) => f.slice(folder.length + 1)),
      ["legacy.llm.js", "nested/lower.llm.mjs", "shout.llm.ts"],
    );
    assert.deepEqual(tools.map((t) => t.name).sort(), ["lower", "reverse", "shout"]);

    const shout = tools.find((t) => t.name === "shout");
    assert.deepEqual(shout?.location, { file: join(folder, "shout.llm.ts"), line: 4, column: 14 });
    assert.equal(shout?.inputSchema.type, "object");
    assert.match(shout?.id ?? "", /^[0-9a-f]{64}$/);
    assert.deepEqual(tools.find((t) => t.name === "lower")?.location, {
      file: join(folder, "nested/lower.llm.mjs"),
      line: 3,
      column: 7,
    });
    assert.deepEqual(tools.find((t) => t.name === "reverse")?.location, {
      file: join(folder, "legacy.llm.js"),
      line: 4,
      column: 9,
    });

    assert.equal(functions.length, 1);
    assert.equal(functions[0]?.name, "loud", "a function's name defaults to its export name");
    assert.deepEqual(functions[0]?.tests, [{ input: { text: "a" }, expected: { text: "A" } }]);

    for (const [name, input, expected] of [
      ["shout", "abc", "ABC"],
      ["lower", "ABC", "abc"],
      ["reverse", "abc", "cba"],
    ] as const) {
      const tool = session.runtime.tools.byName(name);
      assert.ok(tool, name);
      assert.deepEqual(await tool.invoke({ text: input }, {}), { text: expected });
    }
    assert.equal(
      session.runtime.tools.byName("shout")?.validateInput({ text: 1 }).ok,
      false,
      "inputs are validated in the parent",
    );
  });

  it("loads files with top-level await, source-relative paths and a whole-module export alongside the others", async () => {
    const folder = await workspaceWith({
      "data/greeting.txt": "hello",
      "awaits.llm.ts": `import { tool } from "llm-function";
import { z } from "zod";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
const greeting = await readFile(join(__dirname, "data", "greeting.txt"), "utf8");
export const greet = tool({ name: "greet", description: "Greets", input: z.object({ name: z.string() }), output: z.object({ text: z.string() }) }, ({ name }) => ({ text: \`\${greeting} \${name}\` }));
`,
      "paths.llm.mts": `import { tool } from "llm-function";
import { z } from "zod";
import { fileURLToPath } from "node:url";
const here = fileURLToPath(import.meta.url);
export const where = tool({ name: "where", description: "Where it lives", input: z.object({}), output: z.object({ file: z.string(), dir: z.string() }) }, () => ({ file: here, dir: __dirname }));
`,
      "whole.llm.js": `const { tool } = require("llm-function");
const { z } = require("zod");
module.exports = tool({ name: "whole", description: "The module is the tool", input: z.object({}), output: z.object({ ok: z.boolean() }) }, () => ({ ok: true }));
`,
      "plain.llm.ts": stringTool("plain"),
    });
    const session = await open(folder);
    assert.deepEqual(session.discovery.diagnostics, []);
    assert.deepEqual(session.discovery.tools.map((t) => t.name).sort(), ["greet", "plain", "where", "whole"]);
    assert.deepEqual(await session.runtime.tools.byName("greet")?.invoke({ name: "Ada" }, {}), { text: "hello Ada" });
    assert.deepEqual(await session.runtime.tools.byName("where")?.invoke({}, {}), {
      file: join(folder, "paths.llm.mts"),
      dir: folder,
    });
    assert.deepEqual(await session.runtime.tools.byName("whole")?.invoke({}, {}), { ok: true });
    assert.equal(session.discovery.tools.find((t) => t.name === "whole")?.exportName, "default");
  });

  it("reports a file that does not compile with its line and column, and still loads the others", async () => {
    const folder = await workspaceWith({
      "good.llm.ts": stringTool("good"),
      "broken.llm.ts": `import { tool } from "llm-function";\nexport const x = tool(\n  { name: "x" ,, });\n`,
    });
    const session = await open(folder);
    assert.deepEqual(
      session.discovery.tools.map((t) => t.name),
      ["good"],
    );
    const [diagnostic] = session.discovery.diagnostics;
    assert.equal(session.discovery.diagnostics.length, 1);
    assert.equal(diagnostic?.location.file, join(folder, "broken.llm.ts"));
    assert.equal(diagnostic?.location.line, 3);
    assert.equal(diagnostic?.location.column, 16);
    assert.equal(diagnostic?.severity, "error");
    assert.match(diagnostic?.message ?? "", /found ","/);
  });

  it("reports a file that throws while loading at the throwing line", async () => {
    const folder = await workspaceWith({
      "good.llm.ts": stringTool("good"),
      "throws.llm.ts": `import { z } from "zod";\n\nexport const schema = z.string();\nthrow new Error("config missing");\n`,
    });
    const session = await open(folder);
    assert.deepEqual(
      session.discovery.tools.map((t) => t.name),
      ["good"],
    );
    const [diagnostic] = session.discovery.diagnostics;
    assert.match(diagnostic?.message ?? "", /config missing/);
    assert.equal(diagnostic?.location.file, join(folder, "throws.llm.ts"));
    assert.equal(diagnostic?.location.line, 4);
  });

  it("loads the other files when one ends the tool host as it loads, naming that one", async () => {
    const folder = await workspaceWith({
      "good.llm.ts": stringTool("good"),
      "exits.llm.ts": `export const done = true;\nprocess.exit(1);\n`,
    });
    const session = await open(folder);
    assert.deepEqual(
      session.discovery.tools.map((t) => t.name),
      ["good"],
    );
    const [diagnostic] = session.discovery.diagnostics;
    assert.equal(diagnostic?.location.file, join(folder, "exits.llm.ts"));
    assert.match(diagnostic?.message ?? "", /stopped the tool host/);
    assert.deepEqual(await session.runtime.tools.byName("good")?.invoke({ text: "x" }, {}), { text: "X" });
  });

  it("reports duplicate tool and function names at both places and keeps the first", async () => {
    const fn = (desc: string) => `import { llmFunction } from "llm-function";
import { z } from "zod";
export const summary = llmFunction({ description: "${desc}", input: z.object({ a: z.string() }), output: z.object({ b: z.string() }) });
`;
    const folder = await workspaceWith({
      "a.llm.ts": stringTool("twin"),
      "b.llm.ts": `\n${stringTool("twin", "({ text }) => ({ text })")}`,
      "c.llm.ts": fn("first"),
      "d.llm.ts": fn("second"),
    });
    const session = await open(folder);
    assert.equal(session.discovery.tools.length, 1);
    assert.equal(session.discovery.tools[0]?.location.file, join(folder, "a.llm.ts"));
    const toolClashes = session.discovery.diagnostics.filter((d) => d.message.includes(`tool name "twin"`));
    assert.equal(toolClashes.length, 2);
    const atB = toolClashes.find((d) => d.location.file === join(folder, "b.llm.ts"));
    assert.deepEqual(atB?.related, [{ file: join(folder, "a.llm.ts"), line: 4, column: 14 }]);
    assert.match(
      atB?.message ?? "",
      /also declared at a\.llm\.ts:4:14\./,
      "the message names the other place relative to the folder",
    );
    assert.ok(!atB?.message.includes(folder), "no absolute path in the message");
    assert.equal(atB?.location.line, 5);

    assert.equal(session.discovery.functions.length, 1);
    assert.equal(session.discovery.functions[0]?.description, "first");
    const fnClash = session.discovery.diagnostics.find(
      (d) => d.message.includes(`LLM function name "summary"`) && d.location.file.endsWith("d.llm.ts"),
    );
    assert.deepEqual(
      fnClash?.related?.map((r) => r.file),
      [join(folder, "c.llm.ts")],
    );
  });

  it("reports an export whose schemas are not objects", async () => {
    const folder = await workspaceWith({
      "bad.llm.ts": `import { tool } from "llm-function";
import { z } from "zod";
export const plain = tool({ name: "plain", description: "d", input: z.string(), output: z.object({}) }, (s) => ({ s }));
`,
    });
    const session = await open(folder);
    assert.deepEqual(session.discovery.tools, []);
    assert.match(
      session.discovery.diagnostics[0]?.message ?? "",
      /Tool "plain": its input schema must describe an object/,
    );
    assert.equal(session.discovery.diagnostics[0]?.location.line, 3);
  });

  it("re-discovers an edited file only: the edited tool keeps its contract id and gets a new code fingerprint", async () => {
    const folder = await workspaceWith({
      "one.llm.ts": stringTool("one"),
      "two.llm.ts": stringTool("two"),
      "three.llm.ts": stringTool("three"),
    });
    const session = await open(folder);
    const before = new Map(session.discovery.tools.map((t) => [t.name, t.id]));
    const codeBefore = new Map(session.discovery.tools.map((t) => [t.name, t.code?.fingerprint]));
    const runtimeBefore = session.runtime;

    await writeFile(join(folder, "two.llm.ts"), stringTool("two", "({ text }) => ({ text: `${text}!` })"));
    const changes: string[][] = [];
    session.onDidChange((result) => changes.push(result.tools.map((t) => t.name)));
    const result = await session.refresh([join(folder, "two.llm.ts")]);

    const after = new Map(result.tools.map((t) => [t.name, t.id]));
    assert.equal(after.get("one"), before.get("one"));
    assert.equal(after.get("three"), before.get("three"));
    assert.equal(after.get("two"), before.get("two"), "the contract did not change");
    const codeAfter = new Map(result.tools.map((t) => [t.name, t.code?.fingerprint]));
    assert.notEqual(codeAfter.get("two"), codeBefore.get("two"));
    assert.equal(codeAfter.get("one"), codeBefore.get("one"));
    assert.deepEqual(Object.keys(result.tools.find((t) => t.name === "two")?.code?.modules ?? {}), ["two.llm.ts"]);
    assert.equal(changes.length, 1);
    assert.notEqual(session.runtime, runtimeBefore, "a changed toolset gets a new runtime");
    assert.deepEqual(await session.runtime.tools.byName("two")?.invoke({ text: "x" }, {}), { text: "x!" });

    // A refresh with nothing changed rebuilds nothing and keeps the runtime.
    const runtimeNow = session.runtime;
    await session.refresh();
    assert.equal(session.runtime, runtimeNow);

    // New and deleted files are noticed too.
    await writeFiles(folder, { "four.llm.ts": stringTool("four") });
    const grown = await session.refresh();
    assert.deepEqual(grown.tools.map((t) => t.name).sort(), ["four", "one", "three", "two"]);
  });

  it("answers an unknown function name with a CONFIG error listing the known ones", async () => {
    const folder = await workspaceWith({
      "f.llm.ts": `import { llmFunction } from "llm-function";
import { z } from "zod";
export const greet = llmFunction({ description: "Greet", input: z.object({ name: z.string() }), output: z.object({ text: z.string() }) });
`,
    });
    const session = await open(folder);
    const outcome = await session.call("nope", {});
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.error.kind, "CONFIG");
    assert.equal(outcome.error.stage, "input");
    assert.match(outcome.error.message, /Known functions: greet/);
    assert.equal(await session.status("greet"), "not_planned");
  });
});
