import assert from "node:assert/strict";
import { test } from "node:test";
import type { DiscoveredFunction, DiscoveredTool } from "../../src/workspace/workspaceTypes";
import {
  brokenFileNodes,
  brokenFiles,
  CONTEXT,
  statusPresentation,
  toolNodes,
  treeItemOf,
  workflowGroups,
  workflowSummary,
} from "../../src/extension/views/viewModel";
import { stored } from "./fixtures";

const folder = { folderUri: "file:///work/weather", folderName: "weather" };

const fn: DiscoveredFunction = {
  name: "summarize",
  exportName: "summarize",
  description: "Summarize the weather of a city.",
  inputSchema: {},
  outputSchema: {},
  tests: [],
  location: { file: "/work/weather/weather.llm.ts", line: 12, column: 14 },
};

const tool: DiscoveredTool = {
  id: "t1",
  name: "geocode",
  exportName: "geocode",
  description: "Finds the coordinates of a place.\nUses a built-in table.",
  inputSchema: {},
  outputSchema: {},
  tags: [],
  metadata: {},
  location: { file: "/work/weather/tools.llm.ts", line: 3, column: 1 },
};

test("each status has its own label and icon", () => {
  const statuses = ["ready", "not_planned", "stale", "unverified", "failed"] as const;
  assert.deepEqual(
    statuses.map((status) => statusPresentation(status).label),
    ["ready", "not planned", "stale", "unverified", "failed"],
  );
  assert.equal(new Set(statuses.map((status) => statusPresentation(status).icon.id)).size, 5);
});

test("a stale function's item says why, and the last verification's result", () => {
  const reason =
    "code changed since it was planned: forecast (weather.llm.ts): lib/units.ts modified; 1 of 3 test cases fail now: case 1: highC: expected 14, got 15";
  const item = treeItemOf({
    kind: "function",
    ...folder,
    fn,
    status: "stale",
    reason,
    verify: { status: "failed", reason: "1 of 3 test cases fail" },
  });
  assert.equal(item.description, "stale · verify failed");
  assert.match(
    item.tooltip ?? "",
    /Why: code changed since it was planned: forecast \(weather\.llm\.ts\): lib\/units\.ts modified/,
  );
  assert.match(item.tooltip ?? "", /Last verification: failed \(1 of 3 test cases fail\)/);
});

test("a function item shows its status, its context value and opens its declaration", () => {
  const item = treeItemOf({ kind: "function", ...folder, fn, status: "stale" });
  assert.equal(item.label, "summarize");
  assert.equal(item.description, "stale");
  assert.equal(item.contextValue, CONTEXT.function);
  assert.equal(item.icon.id, "warning");
  assert.deepEqual(item.open, fn.location);
  assert.match(item.tooltip ?? "", /Summarize the weather/);
  assert.match(item.tooltip ?? "", /weather\.llm\.ts:12/);
  assert.equal(item.collapsible, "none");
});

test("workflow summaries give the local time, the one in use and the step count, short enough for the side bar", () => {
  const summary = workflowSummary(stored("/w/.llm-function/workflows/abc_wf1_20250304T102233Z.json"), {
    inUse: true,
    locale: "en-GB",
  });
  assert.equal(
    summary.label,
    new Intl.DateTimeFormat("en-GB", {
      month: "short",
      day: "numeric",
      year: "numeric",
      hour: "numeric",
      minute: "2-digit",
    }).format(new Date("2025-03-04T10:22:33.000Z")),
  );
  assert.doesNotMatch(summary.label, /UTC|T10:22/);
  assert.equal(summary.description, "in use · 2 steps");
  assert.match(summary.tooltip, /In use/);
  assert.equal(summary.completed, true);
  assert.equal(workflowSummary(stored("/w/b.json")).description, "2 steps");
  const failed = workflowSummary(
    stored("/w/x.json", {
      completed: false,
      steps: [],
      lastError: { kind: "INIT_CHECK", stage: "init_check", message: "no tool gives the temperature" },
    }),
  );
  assert.equal(failed.description, "failed");
  assert.match(failed.tooltip, /Last error: no tool gives the temperature \(INIT_CHECK, init_check stage\)/);
  assert.equal(workflowSummary(stored("/w/y.json", { savedAt: "not a date" })).label, "not a date");
});

test("workflow groups and workflow items carry what their menus need", () => {
  const workflows = [stored("/w/a.json"), stored("/w/b.json", { completed: false })];
  const group = treeItemOf({ kind: "workflowGroup", ...folder, functionName: "summarize", workflows, declared: true });
  assert.equal(group.description, "2 workflows");
  assert.equal(group.collapsible, "expanded");
  assert.equal(
    treeItemOf({ kind: "workflowGroup", ...folder, functionName: "x", workflows: [], declared: true }).collapsible,
    "none",
  );
  const item = treeItemOf({
    kind: "workflow",
    ...folder,
    functionName: "summarize",
    stored: workflows[1]!,
    inUse: false,
  });
  assert.equal(item.contextValue, CONTEXT.workflow);
  assert.equal(item.icon.id, "error");
  assert.notEqual(
    item.id,
    treeItemOf({ kind: "workflow", ...folder, functionName: "summarize", stored: workflows[0]!, inUse: true }).id,
  );
});

test("tool items show the first description line and open the source line", () => {
  const item = treeItemOf({ kind: "tool", ...folder, tool });
  assert.equal(item.description, "Finds the coordinates of a place.");
  assert.match(item.tooltip ?? "", /Uses a built-in table/);
  assert.deepEqual(item.open, tool.location);
  assert.equal(item.contextValue, CONTEXT.tool);
});

test("items of different folders never share an id", () => {
  const other = { folderUri: "file:///work/other", folderName: "other" };
  assert.notEqual(
    treeItemOf({ kind: "function", ...folder, fn, status: "ready" }).id,
    treeItemOf({ kind: "function", ...other, fn, status: "ready" }).id,
  );
  assert.equal(treeItemOf({ kind: "folder", ...other }).label, "other");
});

test("a declaration file that does not compile is named, linked to Problems, and its neighbours' functions stay", () => {
  const brokenFile = "/work/weather/functions.llm.ts";
  const diagnostics = [
    {
      severity: "error" as const,
      message: 'Expected ")" but found "export"',
      location: { file: brokenFile, line: 26, column: 1 },
    },
    { severity: "error" as const, message: "second", location: { file: brokenFile, line: 30, column: 1 } },
    {
      severity: "error" as const,
      message: 'Duplicate tool name "geocode"',
      location: { file: "/work/weather/places.llm.ts", line: 3, column: 1 },
    },
    {
      severity: "warning" as const,
      message: "unused",
      location: { file: "/work/weather/notes.llm.ts", line: 1, column: 1 },
    },
  ];
  const loaded = [{ location: { file: "/work/weather/places.llm.ts", line: 3, column: 14 } }];
  const broken = brokenFiles(diagnostics, loaded);
  assert.deepEqual(
    broken,
    [{ file: brokenFile, firstError: 'Expected ")" but found "export"', errors: 2 }],
    "a file whose other declarations loaded is not broken",
  );
  const [node] = brokenFileNodes(broken, folder);
  assert.ok(node);
  const item = treeItemOf(node);
  assert.equal(item.label, "functions.llm.ts does not compile");
  assert.equal(item.description, "2 errors in Problems");
  assert.equal(item.showProblems, true);
  assert.match(item.tooltip ?? "", /Expected "\)"/);
});

test("the Tools view names a declaration file that does not compile, also when it held every tool", () => {
  const toolsFile = tool.location.file;
  const diagnostics = [
    {
      severity: "error" as const,
      message: 'Expected "}" but found ")"',
      location: { file: toolsFile, line: 9, column: 2 },
    },
  ];
  const rows = toolNodes({ diagnostics, functions: [fn], tools: [] }, folder).map((node) => treeItemOf(node));
  assert.deepEqual(
    rows.map((row) => [row.label, row.description, row.showProblems]),
    [["tools.llm.ts does not compile", "1 error in Problems", true]],
    "one row linked to Problems instead of an empty view",
  );
  const other = { ...tool, name: "forecast", location: { ...tool.location, file: "/work/weather/forecast.llm.ts" } };
  assert.deepEqual(
    toolNodes({ diagnostics, functions: [], tools: [other, tool] }, folder).map((node) => treeItemOf(node).label),
    ["forecast", "geocode"],
    "a file whose tools loaded is not named; the tools follow sorted by name",
  );
  assert.deepEqual(
    toolNodes({ diagnostics, functions: [], tools: [other] }, folder).map((node) => treeItemOf(node).label),
    ["tools.llm.ts does not compile", "forecast"],
    "the other files' tools stay",
  );
});

test("stored workflows of a function that is not loaded now stay listed, marked so", () => {
  const all = [
    stored("/w/a.json"),
    stored("/w/b.json", { task: { ...stored("/w/x.json").workflow.task, name: "gone" } }),
  ];
  const groups = workflowGroups(["summarize"], new Map([["summarize", [all[0]!]]]), all, folder);
  assert.deepEqual(
    groups.map((group) =>
      group.kind === "workflowGroup" ? [group.functionName, group.workflows.length, group.declared] : [],
    ),
    [
      ["summarize", 1, true],
      ["gone", 1, false],
    ],
  );
  const item = treeItemOf(groups[1]!);
  assert.equal(item.description, "not loaded");
  assert.match(item.tooltip ?? "", /not loaded now/);
});
