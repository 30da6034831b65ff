import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { adaptMessages, checkMessages, planMessages, sharedPrefix } from "../../../src/engine/assembler/prompts";
import type { ChatMessage } from "../../../src/engine/llm/llmClient";
import { taskOf } from "../../../src/engine/runtime/taskOf";
import { queueResponder, type RecordedChat } from "../../support/scriptedOllamaServer";
import { correctPlan, emailWeatherReport, feasible, weatherTools } from "../../support/weatherTools";
import { startHarness, type Harness } from "./harness";

// Golden prompts: any change to what the model is told shows in review as a diff of these files.
// After an intended change, regenerate them with UPDATE_GOLDEN=1 and read the diff.
const GOLDEN = join(import.meta.dirname, "golden");

function readable(messages: readonly ChatMessage[]): string {
  return `${messages.map((m) => `=== ${m.role} ===\n${m.content}`).join("\n\n")}\n`;
}

async function matchesGolden(name: string, messages: readonly ChatMessage[]): Promise<void> {
  const file = join(GOLDEN, `${name}.txt`);
  const text = readable(messages);
  if (process.env.UPDATE_GOLDEN === "1") await writeFile(file, text);
  assert.equal(
    text,
    await readFile(file, "utf8"),
    `${name} prompt changed: review it, then regenerate with UPDATE_GOLDEN=1`,
  );
}

const task = taskOf(emailWeatherReport.toSpec());
const prefix = sharedPrefix(task, weatherTools);

test("the check prompt matches its golden file", () => matchesGolden("check", checkMessages(prefix)));
test("the plan prompt matches its golden file", () => matchesGolden("plan", planMessages(prefix, undefined)));
test("the replan prompt matches its golden file", () =>
  matchesGolden("replan", planMessages(prefix, "Unknown tool weather_api; available tools: geocode, forecast.")));
test("the adapt prompt matches its golden file", () =>
  matchesGolden(
    "adapt",
    adaptMessages(prefix, {
      step: { name: "forecast", args: { lat: "geocode.output.latitude", lon: "geocode.output.lon" } },
      stepId: 2,
      targetDescription: "Today's weather forecast at coordinates: temperature in Celsius and the sky condition.",
      targetSchema: weatherTools[1]!.inputSchema,
      earlier: [
        { id: 0, name: "input", outputSchema: task.inputSchema },
        { id: 1, name: "geocode", outputSchema: weatherTools[0]!.outputSchema },
      ],
      problems: ['lat: "geocode.output.latitude" has no field latitude; geocode.output has lat, lon, name'],
    }),
  ));

describe("one planning's calls share their prefix byte for byte", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("check, plan and adapt calls start with the same messages; only the last one differs", async () => {
    const plan = correctPlan();
    // A planner reference to a field that does not exist sends step 2 to the adaptor.
    const bad = structuredClone(plan);
    bad.steps[1] = { name: "forecast", args: { lat: "geocode.output.latitude", lon: "geocode.output.lon" } };
    h.server.requests.length = 0;
    h.server.setResponder(
      queueResponder({
        check: [{ json: feasible }],
        plan: [{ json: bad }],
        adapt: [{ json: { args: { lat: "geocode.output.lat", lon: "geocode.output.lon" } } }],
      }),
    );
    const runtime = await h.runtime();
    const planned = await runtime.plan(emailWeatherReport.toSpec());
    assert.ok(
      planned.ok && planned.value.completed,
      planned.ok ? JSON.stringify(planned.value.lastError) : planned.error.message,
    );
    const requests: RecordedChat[] = h.server.requests;
    assert.equal(requests.length, 3);
    const prefixOf = (r: RecordedChat) => JSON.stringify(r.messages.slice(0, -1));
    assert.equal(prefixOf(requests[0]!), prefixOf(requests[1]!));
    assert.equal(prefixOf(requests[1]!), prefixOf(requests[2]!));
    assert.equal(requests[0]!.messages.length, 3);
    assert.notEqual(requests[0]!.messages[2]!.content, requests[1]!.messages[2]!.content);
  });
});
