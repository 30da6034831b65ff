import assert from "node:assert/strict";
import { test } from "node:test";
import { comparisonView } from "../../src/extension/inspector/inspectorCompare";
import { stored, weatherWorkflow } from "./fixtures";

test("compare mode shows the engine's diff from the chosen workflow to the selected one", () => {
  const older = stored("/w/older.json", { id: "wf0", completed: false, history: [] });
  const base = weatherWorkflow();
  const newer = stored("/w/newer.json", {
    steps: [
      base.steps[0]!,
      {
        ...base.steps[1]!,
        toolId: "t2b",
        args: { lat: { ref: "1.output.lat" }, lon: { ref: "1.output.lon" }, days: { value: 2 } },
      },
      base.steps[2]!,
    ],
  });
  const view = comparisonView([newer, older], "/w/newer.json", "/w/older.json");
  assert.ok(view);
  assert.equal(view.file, "/w/older.json");
  assert.equal(view.diff.before.id, "wf0");
  assert.deepEqual(
    view.diff.steps.map((s) => s.change),
    ["unchanged", "changed", "unchanged"],
  );
  const forecast = view.diff.steps[1];
  assert.ok(forecast?.change === "changed");
  assert.deepEqual(forecast.toolId, { before: "t2", after: "t2b" });
  assert.deepEqual(forecast.rewired, [{ arg: "days", before: "1", after: "2" }]);
  assert.equal(view.diff.before.tests.status, "untested");
  assert.equal(view.diff.after.tests.status, "passed");
  // Plain JSON: it is posted to the webview as is.
  assert.deepEqual(JSON.parse(JSON.stringify(view)), view);
});

test("compare mode is off without a second workflow, or when it is gone", () => {
  const only = stored("/w/a.json");
  assert.equal(comparisonView([only], "/w/a.json", undefined), undefined);
  assert.equal(comparisonView([only], "/w/a.json", "/w/a.json"), undefined);
  assert.equal(comparisonView([only], "/w/a.json", "/w/deleted.json"), undefined);
});
