import assert from "node:assert/strict";
import { cp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { tempFolder } from "../support/tempFolders";
import { capturingLogger, repoRoot, settingsFor } from "./workspaceFixtures";

/** What a load for city_forecast holds once search.llm.ts, edited, must be loaded too. */
const CITY_FORECAST_AND_SEARCH_TOOLS = ["celsius_to_fahrenheit", "forecast", "geocode", "web_search"];

before(requireBuilt);

/** A copy of the weather example (with its committed workflows) and an empty bundle cache. */
async function exampleWithCache(): Promise<{ folder: string; cache: string }> {
  const folder = await tempFolder("llmfn-partial-");
  const cache = await tempFolder("llmfn-partial-cache-");
  await cp(join(repoRoot, "examples", "weather"), folder, { recursive: true });
  // A first process fills the cache, as the first `llmfn run` or `list` does.
  const first = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }));
  assert.equal(first.isComplete, true);
  await first.dispose();
  return { folder, cache };
}

const PARIS = { city: "Paris", country: "France", condition: "sunny", highC: 14, highF: 57.2 };

describe("loading only what a stored workflow needs", () => {
  it("loads the function's file and its tools' files only, and runs the stored workflow", async () => {
    const { folder, cache } = await exampleWithCache();
    const logger = capturingLogger();
    const session = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache, logger }), {
      functions: ["city_forecast"],
    });
    try {
      assert.equal(session.isComplete, false);
      assert.equal(session.discovery.files.length, 5);
      assert.deepEqual(session.discovery.tools.map((t) => t.name).sort(), [
        "celsius_to_fahrenheit",
        "forecast",
        "geocode",
      ]);
      assert.ok(
        logger.lines.some((line) => line.startsWith("Loaded 3 of 5 declaration files")),
        logger.lines.join("\n"),
      );
      const outcome = await session.call("city_forecast", { city: "Paris" });
      assert.ok(outcome.ok, outcome.ok ? "" : outcome.error.message);
      assert.equal(outcome.value.reused, true);
      assert.deepEqual(outcome.value.output, PARIS);
      // A refresh loads the rest.
      await session.refresh();
      assert.equal(session.isComplete, true);
      assert.equal(session.discovery.tools.length, 7);
    } finally {
      await session.dispose();
    }
  });

  it("also loads a file the cache knows nothing about: it may now declare a needed name", async () => {
    const { folder, cache } = await exampleWithCache();
    const search = join(folder, "search.llm.ts");
    await writeFile(search, `${await readFile(search, "utf8")}\n// edited\n`);
    const session = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }), {
      functions: ["city_forecast"],
    });
    try {
      assert.equal(session.isComplete, false);
      assert.deepEqual(session.discovery.tools.map((t) => t.name).sort(), CITY_FORECAST_AND_SEARCH_TOOLS);
    } finally {
      await session.dispose();
    }
  });

  it("keeps what each file declares in one index, used only while the files it was made from are unchanged", async () => {
    const { folder, cache } = await exampleWithCache();
    const open = () =>
      WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }), { functions: ["city_forecast"] });
    // The first partial load reads every entry and writes the index; the next one reads the index instead.
    for (let round = 0; round < 2; round++) {
      const session = await open();
      await session.dispose();
      assert.equal(session.discovery.tools.length, 3);
    }
    assert.equal((await readdir(join(cache, "entries"))).filter((name) => name.startsWith("index-")).length, 1);
    const search = join(folder, "search.llm.ts");
    await writeFile(search, `${await readFile(search, "utf8")}\n// edited\n`);
    const session = await open();
    try {
      assert.deepEqual(session.discovery.tools.map((t) => t.name).sort(), CITY_FORECAST_AND_SEARCH_TOOLS);
    } finally {
      await session.dispose();
    }
  });

  it("loads everything when the stored workflow no longer fits the code, or there is none", async () => {
    const { folder, cache } = await exampleWithCache();
    const weather = join(folder, "weather.llm.ts");
    // A changed handler changes the tool's id: the stored workflow is stale and would be replanned with every tool.
    await writeFile(weather, (await readFile(weather, "utf8")).replace("celsius * 9 + 160", "celsius * 9 + 161"));
    const stale = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }), {
      functions: ["city_forecast"],
    });
    try {
      assert.equal(stale.isComplete, true);
      assert.equal(stale.discovery.tools.length, 7);
    } finally {
      await stale.dispose();
    }
    await rm(join(folder, ".llm-function"), { recursive: true });
    const unplanned = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }), {
      functions: ["weather_headline"],
    });
    try {
      assert.equal(unplanned.isComplete, true);
    } finally {
      await unplanned.dispose();
    }
  });
});

describe("loading only what verifying needs", () => {
  it("judges nothing on opening, and loads the rest only when a workflow looks stale", async () => {
    const { folder, cache } = await exampleWithCache();
    const weather = join(folder, "weather.llm.ts");
    // A new description is a new contract: the stored workflow no longer compiles.
    await writeFile(weather, (await readFile(weather, "utf8")).replace("(rounded to one decimal)", "(to one decimal)"));
    const session = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }), {
      functions: ["city_forecast"],
      purpose: "verify",
    });
    try {
      // To run, this stale workflow would have loaded everything already (see above).
      assert.equal(session.isComplete, false);
      const verified = await session.verify("city_forecast");
      assert.ok(verified.ok, verified.ok ? "" : verified.error.message);
      assert.equal(verified.value.status, "stale");
      assert.match(verified.value.reason ?? "", /"celsius_to_fahrenheit", but its contract .* has changed/);
      assert.equal(session.isComplete, true);
    } finally {
      await session.dispose();
    }
  });
});
