import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { validateWith } from "../../src/engine/tools/tool";
import { commandTarget } from "../../src/extension/commands/commandArgs";
import { diagnosticsByFile } from "../../src/extension/editor/diagnosticsModel";
import { formatIssues } from "../../src/engine/json/validationIssues";
import { parseFunctionInput } from "../../src/extension/input/functionInput";
import { modelTargetItems } from "../../src/extension/commands/modelTarget";
import { errorActions } from "../../src/extension/errorActions";
import { progressMessage } from "../../src/extension/progressMessages";
import { RunHistory } from "../../src/extension/runHistory";
import { modelAvailable } from "../../src/extension/ollamaModels";
import { stored } from "./fixtures";

const input = z.object({ city: z.string().min(1), days: z.number().int().max(7) });
const validate = (value: unknown) => validateWith(input, value);

test("function input is parsed and validated before anything runs", () => {
  assert.deepEqual(parseFunctionInput('{"city":"Delft","days":2}', validate), {
    ok: true,
    value: { city: "Delft", days: 2 },
  });
  const syntax = parseFunctionInput("{city:", validate);
  assert.equal(syntax.ok, false);
  if (!syntax.ok) assert.match(syntax.error, /^Not valid JSON/);
  const invalid = parseFunctionInput('{"city":"","days":9}', validate);
  assert.equal(invalid.ok, false);
  if (!invalid.ok) {
    assert.match(invalid.error, /^Does not match the input schema: /);
    assert.match(invalid.error, /city: /);
    assert.match(invalid.error, /days: /);
  }
  assert.equal(
    formatIssues([
      { path: ["items", 0, "id"], message: "Required" },
      { path: [], message: "Bad" },
    ]),
    "items[0].id: Required; Bad",
  );
});

test("command arguments come from tree nodes, CodeLens/test strings or nothing", () => {
  assert.deepEqual(commandTarget([]), { hasInput: false });
  assert.deepEqual(commandTarget(["file:///w", "summarize"]), {
    folderUri: "file:///w",
    functionName: "summarize",
    hasInput: false,
  });
  assert.deepEqual(commandTarget(["file:///w", "summarize", { city: "Delft" }]), {
    folderUri: "file:///w",
    functionName: "summarize",
    input: { city: "Delft" },
    hasInput: true,
  });
  assert.deepEqual(commandTarget(["file:///w", "summarize", "/w/a.json"], "file"), {
    folderUri: "file:///w",
    functionName: "summarize",
    file: "/w/a.json",
    hasInput: false,
  });
  const fnNode = {
    kind: "function",
    folderUri: "file:///w",
    folderName: "w",
    fn: { name: "summarize" },
    status: "ready",
  };
  assert.deepEqual(commandTarget([fnNode]), { folderUri: "file:///w", functionName: "summarize", hasInput: false });
  const workflowNode = {
    kind: "workflow",
    folderUri: "file:///w",
    folderName: "w",
    functionName: "summarize",
    stored: stored("/w/a.json"),
  };
  assert.deepEqual(commandTarget([workflowNode], "file"), {
    folderUri: "file:///w",
    functionName: "summarize",
    file: "/w/a.json",
    hasInput: false,
  });
});

test("progress events become one readable line that says each thing once", () => {
  assert.equal(
    progressMessage({
      stage: "test",
      status: "start",
      functionName: "f",
      loop: 0,
      attempt: 2,
      message: "Testing on 2 cases",
    }),
    "Testing on 2 cases · attempt 2",
  );
  assert.equal(
    progressMessage({
      stage: "plan",
      status: "start",
      functionName: "f",
      loop: 1,
      attempt: 2,
      message: "Planning (attempt 2)",
    }),
    "Planning (attempt 2) · loop 2",
  );
  assert.equal(
    progressMessage({
      stage: "plan",
      status: "start",
      functionName: "f",
      loop: 0,
      attempt: 2,
      message: "asking qwen3:8b",
    }),
    "Planning: asking qwen3:8b · attempt 2",
  );
  assert.equal(
    progressMessage({
      stage: "adapt",
      status: "start",
      functionName: "f",
      step: 3,
      loop: 0,
      attempt: 1,
      message: "Adapting step 3",
    }),
    "Adapting step 3 · attempt 1",
  );
  assert.equal(
    progressMessage({
      stage: "adapt",
      status: "error",
      functionName: "f",
      step: 3,
      message: "x",
      error: { kind: "ADAPTOR_JSON", stage: "adapt", message: "city: expected `string`" },
    }),
    'Adapting arguments failed: city: expected "string" · step 3',
  );
  assert.equal(progressMessage({ stage: "run", status: "ok", functionName: "f", message: "" }), "Running");
});

test("models match with or without the :latest tag", () => {
  assert.equal(modelAvailable("qwen3", ["qwen3:latest"]), true);
  assert.equal(modelAvailable("qwen3:latest", ["qwen3"]), true);
  assert.equal(modelAvailable("qwen3:8b", ["qwen3:latest", "llama3:8b"]), false);
});

test("the run history keeps the newest runs first, per function, bounded", () => {
  const history = new RunHistory(3);
  for (let i = 0; i < 5; i++)
    history.add({
      functionName: i % 2 === 0 ? "a" : "b",
      startedAt: `t${i}`,
      durationMs: i,
      input: i,
      ok: true,
      output: i,
    });
  assert.deepEqual(
    history.all().map((record) => record.input),
    [4, 3, 2],
  );
  assert.deepEqual(
    history.forFunction("a").map((record) => record.id),
    [5, 3],
  );
});

test("the run history survives a reload through the store, bounded, with huge runs cut down", async () => {
  const values = new Map<string, unknown>();
  const state = {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key: string, value: unknown) => void values.set(key, JSON.parse(JSON.stringify(value))),
  };
  const before = new RunHistory(100, { state, key: "runs" });
  for (let i = 0; i < 40; i++)
    before.add({
      functionName: "f",
      startedAt: `t${i}`,
      durationMs: i,
      input: { i },
      ok: true,
      output: i === 39 ? "x".repeat(100_000) : i,
    });
  const after = new RunHistory(100, { state, key: "runs" });
  assert.equal(after.all().length, 30, "the newest 30 are kept");
  assert.equal(after.all()[0]?.id, 40);
  assert.equal(after.all()[0]?.output, "(too large to keep across reloads)");
  assert.equal(after.all()[1]?.output, 38);
  assert.equal(
    after.add({ functionName: "f", startedAt: "t", durationMs: 1, input: {}, ok: false }).id,
    41,
    "ids go on from the kept ones",
  );
  assert.deepEqual(
    new RunHistory(100, { state: { get: () => [{ bogus: true }] as never, update: async () => {} }, key: "k" }).all(),
    [],
    "unreadable state is ignored",
  );
});

test("declaration problems are grouped per file in line order", () => {
  const grouped = diagnosticsByFile([
    { severity: "error", message: "b2", location: { file: "/w/b.llm.ts", line: 9, column: 1 } },
    { severity: "warning", message: "a", location: { file: "/w/a.llm.ts", line: 1, column: 1 } },
    {
      severity: "error",
      message: "b1",
      location: { file: "/w/b.llm.ts", line: 2, column: 4 },
      related: [{ file: "/w/a.llm.ts", line: 1, column: 1 }],
    },
  ]);
  assert.deepEqual([...grouped.keys()], ["/w/b.llm.ts", "/w/a.llm.ts"]);
  assert.deepEqual(
    grouped.get("/w/b.llm.ts")?.map((d) => d.message),
    ["b1", "b2"],
  );
});

test("error notifications offer only ways out that can work", () => {
  assert.deepEqual(
    errorActions("LLM_UNREACHABLE", true),
    ["Open Settings", "Retry"],
    "listing models at an unreachable host would fail again",
  );
  assert.deepEqual(errorActions("LLM_MODEL_NOT_FOUND", false), ["Select Model", "Open Settings"]);
  assert.deepEqual(errorActions("LLM_MODEL_NOT_FOUND", true, true), [
    "Pull Model",
    "Select Model",
    "Open Settings",
    "Retry",
  ]);
  assert.deepEqual(errorActions("RUNNER", true), ["Show Log"]);
  assert.deepEqual(errorActions("CANCELLED", true), []);
});

test("Select Model says what saving for this folder or for all workspaces means", () => {
  const [folder, user] = modelTargetItems("weather", { user: "llama3.2:3b" });
  assert.equal(folder?.target, "folder");
  assert.match(folder?.detail ?? "", /\.vscode\/settings\.json: the llmfn CLI/);
  assert.equal(user?.description, "now llama3.2:3b");
  assert.match(user?.detail ?? "", /CLI does not read User settings/);
  const [, overridden] = modelTargetItems("weather", { workspace: "qwen3:8b", user: "llama3.2:3b" });
  assert.match(overridden?.detail ?? "", /This workspace sets qwen3:8b, which takes precedence here/);
});
