import assert from "node:assert/strict";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { startScriptedOllama } from "../support/scriptedOllamaServer";
import { requireBuilt, exampleCopy, llmfn, storedFiles } from "./cliProcess";

interface Verified {
  ok: boolean;
  summary: Record<string, number>;
  functions: {
    function: string;
    status: string;
    reason?: string;
    tests: { label: string; ok: boolean; diffs?: { path: string; expected: unknown; actual: unknown }[] }[];
    changes: { tool: string; file: string; modules: { path: string; change: string }[] }[];
  }[];
}

interface Listed {
  functions: { name: string; status: string; reason?: string }[];
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const edited = text.replace(from, to);
  assert.notEqual(edited, text, `${file} should contain ${String(from)}`);
  await writeFile(file, edited);
}

async function verifyJson(
  folder: string,
  ...extra: string[]
): Promise<{ code: number | null; result: Verified; stderr: string }> {
  const run = await llmfn(["verify", "--json", "--workspace", folder, ...extra]);
  return { code: run.code, result: JSON.parse(run.stdout) as Verified, stderr: run.stderr };
}

async function listJson(folder: string): Promise<Listed> {
  const run = await llmfn(["list", "--json", "--workspace", folder]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Listed;
}

const statusOf = (listed: Listed, name: string) => listed.functions.find((f) => f.name === name);

/** A declaration file with a tool no stored workflow calls. */
const unusedTool = (description: string) => `import { tool } from "llm-function";
import { z } from "zod";
export const unused = tool(
  { name: "unused_tool", description: "${description}", input: z.object({}), output: z.object({ ok: z.boolean() }) },
  () => ({ ok: true }),
);
`;

/** The same report without its timings, which differ from one process to the next. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "durationMs")
      .map(([key, inner]) => [key, withoutTimes(inner)]),
  );
}

/** verify run twice: loading only what it needs (the default), and everything (no bundle cache to say what a file declares). */
async function verifyPartialAndFull(
  folder: string,
  ...names: string[]
): Promise<{ code: number | null; result: Verified & { declarationErrors: number }; stderr: string }> {
  const partial = await llmfn(["verify", "--json", "--verbose", "--workspace", folder, ...names]);
  const full = await llmfn(["verify", "--json", "--workspace", folder, ...names], { env: { LLMFN_CACHE_DIR: "off" } });
  assert.equal(partial.code, full.code, partial.stderr);
  assert.deepEqual(withoutTimes(JSON.parse(partial.stdout)), withoutTimes(JSON.parse(full.stdout)));
  return {
    code: partial.code,
    result: JSON.parse(partial.stdout) as Verified & { declarationErrors: number },
    stderr: partial.stderr,
  };
}

before(requireBuilt);

describe("llmfn verify and staleness that follows the code", () => {
  it("passes on the committed example, with a JUnit report, in one process and without any LLM", async () => {
    const folder = await exampleCopy();
    const junit = join(folder, "junit.xml");
    const started = performance.now();
    const { code, result, stderr } = await verifyJson(folder, "--junit", junit);
    process.stdout.write(
      `# verify on examples/weather: ${Math.round(performance.now() - started)} ms (whole process)\n`,
    );
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      result.functions.map((f) => [f.function, f.status, f.tests.length]),
      [
        ["city_forecast", "passed", 3],
        ["email_customer_forecast", "passed", 2],
        ["weather_headline", "passed", 2],
      ],
    );
    const xml = await readFile(junit, "utf8");
    assert.match(xml, /<testsuites name="llmfn verify" tests="7" failures="0" skipped="0"/);
    assert.equal(xml.match(/<testcase /g)?.length, 7);
    assert.deepEqual(await storedFiles(folder, "verifications"), [], "verify writes nothing to the workspace");
  });

  it("editing a constant a tool uses: verify fails with the diff, list no longer says ready, run says which test failed", async () => {
    const folder = await exampleCopy();
    const workflows = await storedFiles(folder);
    await edit(
      join(folder, "weather.llm.ts"),
      "Math.round(30 - Math.abs(lat) * 0.3)",
      "Math.round(31 - Math.abs(lat) * 0.3)",
    );

    const { code, result } = await verifyJson(folder);
    assert.equal(code, 1);
    const city = result.functions.find((f) => f.function === "city_forecast");
    assert.equal(city?.status, "failed");
    assert.deepEqual(
      city?.tests[0]?.diffs?.map((d) => [d.path, d.expected, d.actual]),
      [
        ["highC", 14, 15],
        ["highF", 57.2, 59],
      ],
    );
    assert.deepEqual(
      city?.changes.map((c) => [c.tool, c.file, c.modules]),
      [
        ["forecast", "weather.llm.ts", [{ path: "weather.llm.ts", change: "modified" }]],
        ["celsius_to_fahrenheit", "weather.llm.ts", [{ path: "weather.llm.ts", change: "modified" }]],
      ],
    );
    assert.equal(result.functions.find((f) => f.function === "weather_headline")?.status, "passed");

    const listed = await listJson(folder);
    const listedCity = statusOf(listed, "city_forecast");
    assert.equal(listedCity?.status, "stale");
    assert.match(listedCity?.reason ?? "", /forecast \(weather\.llm\.ts\): weather\.llm\.ts modified/);
    assert.match(listedCity?.reason ?? "", /case 1: highC: expected 14, got 15/);
    assert.equal(statusOf(listed, "weather_headline")?.status, "ready");

    const text = await llmfn(["list", "--workspace", folder]);
    assert.match(
      text.stdout,
      /city_forecast\s+stale[^\n]*\n\s+code changed since it was planned: forecast \(weather\.llm\.ts\)/,
    );

    // The LLM is unreachable: run must replan, and says why before failing to.
    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", folder]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /stored workflow \w+ is stale \(code changed since it was planned: forecast \(weather\.llm\.ts\).*case 1: highC: expected 14, got 15/,
    );
    assert.match(run.stderr, /LLM_UNREACHABLE/);
    assert.deepEqual(await storedFiles(folder), workflows);
  });

  it("a helper in another module: passing tests are recorded without an LLM, a breaking edit is caught", async () => {
    const folder = await exampleCopy();
    const workflows = await storedFiles(folder);
    await mkdir(join(folder, "lib"));
    await writeFile(
      join(folder, "lib", "units.ts"),
      "export const toFahrenheit = (celsius: number) => Math.round((celsius * 9 + 160) * 2) / 10;\n",
    );
    const weather = join(folder, "weather.llm.ts");
    await edit(
      weather,
      'import { z } from "zod";',
      'import { z } from "zod";\nimport { toFahrenheit } from "./lib/units";',
    );
    await edit(
      weather,
      "({ celsius }) => ({ fahrenheit: Math.round((celsius * 9 + 160) * 2) / 10 })",
      "({ celsius }) => ({ fahrenheit: toFahrenheit(celsius) })",
    );

    // Same behaviour, new code: the tests replay and pass, which is recorded (no LLM is reachable).
    const listed = await listJson(folder);
    assert.deepEqual(
      listed.functions.map((f) => f.status),
      ["ready", "ready", "ready"],
    );
    const records = await storedFiles(folder, "verifications");
    assert.equal(records.length, 2, "city_forecast and email_customer_forecast use tools of weather.llm.ts");
    assert.deepEqual(await storedFiles(folder), workflows, "no new workflow file");
    const record = JSON.parse(await readFile(join(folder, ".llm-function", "verifications", records[0]!), "utf8")) as {
      kind: string;
      code: { modules: Record<string, string> };
      changes: string[];
    };
    assert.equal(record.kind, "verification");
    assert.ok("lib/units.ts" in record.code.modules);
    assert.match(record.changes.join("\n"), /lib\/units\.ts added/);
    // Recorded: the next process has nothing to replay, so nothing more is written.
    await listJson(folder);
    assert.equal((await storedFiles(folder, "verifications")).length, 2);

    await edit(
      join(folder, "lib", "units.ts"),
      "Math.round((celsius * 9 + 160) * 2) / 10",
      "Math.round(celsius * 1.8 + 32)",
    );
    const { code, result } = await verifyJson(folder);
    assert.equal(code, 1);
    const city = result.functions.find((f) => f.function === "city_forecast");
    assert.equal(city?.status, "failed");
    assert.deepEqual(
      city?.tests[0]?.diffs?.map((d) => [d.path, d.expected, d.actual]),
      [["highF", 57.2, 57]],
    );
    assert.ok(
      city?.changes.some(
        (c) =>
          c.tool === "celsius_to_fahrenheit" &&
          c.modules.some((m) => m.path === "lib/units.ts" && m.change === "modified"),
      ),
    );
    assert.equal(result.functions.find((f) => f.function === "email_customer_forecast")?.status, "passed");
    const after = await listJson(folder);
    assert.equal(statusOf(after, "city_forecast")?.status, "stale");
    assert.match(
      statusOf(after, "city_forecast")?.reason ?? "",
      /celsius_to_fahrenheit \(weather\.llm\.ts\): lib\/units\.ts modified/,
    );
  });

  it("a function without tests whose code changed is unverified: it runs with a warning, verify needs --allow", async () => {
    const folder = await exampleCopy();
    // city_forecast loses its tests (its contract, hence its stored workflow, stays the same).
    await edit(join(folder, "functions.llm.ts"), /\n {2}tests: \[\n(?: {4}.*\n)+ {2}\],\n/, "\n");
    assert.equal(statusOf(await listJson(folder), "city_forecast")?.status, "ready", "unchanged code needs no test");
    await edit(
      join(folder, "weather.llm.ts"),
      "Math.round(30 - Math.abs(lat) * 0.3)",
      "Math.round(31 - Math.abs(lat) * 0.3)",
    );

    const city = statusOf(await listJson(folder), "city_forecast");
    assert.equal(city?.status, "unverified");
    assert.match(
      city?.reason ?? "",
      /forecast \(weather\.llm\.ts\): weather\.llm\.ts modified.*no test cases to replay/,
    );

    const run = await llmfn(["run", "city_forecast", "--input", '{"city":"Paris"}', "--workspace", folder]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { highC: number }).highC, 15);
    assert.match(run.stderr, /warning: city_forecast runs an unverified workflow: .*weather\.llm\.ts modified/);

    const strict = await verifyJson(folder, "city_forecast");
    assert.equal(strict.code, 1);
    assert.equal(strict.result.functions[0]?.status, "unverified");
    const allowed = await verifyJson(folder, "city_forecast", "--allow", "unverified");
    assert.equal(allowed.code, 0, allowed.stderr);
  });

  it("reports not planned and refused functions, each allowed only by its flag, and refuses unknown names", async () => {
    const folder = await exampleCopy();
    const shown = JSON.parse((await llmfn(["show", "weather_headline", "--json", "--workspace", folder])).stdout) as {
      workflows: { file: string }[];
    };
    await Promise.all(shown.workflows.map((w) => rm(w.file)));
    const missing = await verifyJson(folder, "weather_headline");
    assert.equal(missing.code, 1);
    assert.equal(missing.result.functions[0]?.status, "not_planned");
    assert.equal((await verifyJson(folder, "weather_headline", "--allow", "not-planned")).code, 0);

    const server = await startScriptedOllama({
      respond: () => ({ json: { justification: "No tool searches the web.", decision: false } }),
    });
    try {
      const plan = await llmfn(["plan", "weather_headline", "--workspace", folder, "--host", server.url]);
      assert.equal(plan.code, 1);
    } finally {
      await server.close();
    }
    const refused = await verifyJson(folder, "weather_headline");
    assert.equal(refused.code, 1);
    assert.equal(refused.result.functions[0]?.status, "refused");
    assert.match(refused.result.functions[0]?.reason ?? "", /No tool searches the web/);
    assert.equal((await verifyJson(folder, "weather_headline", "--allow", "not-planned")).code, 1);
    assert.equal((await verifyJson(folder, "weather_headline", "--allow", "refused,not-planned")).code, 0);

    const unknown = await llmfn(["verify", "no_such_function", "--workspace", folder]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No LLM function named "no_such_function"/);
    const badAllow = await llmfn(["verify", "--allow", "failed", "--workspace", folder]);
    assert.equal(badAllow.code, 2);
    assert.match(badAllow.stderr, /--allow takes stale, unverified, not-planned, refused/);
  });

  it("loads only the files the stored workflows need, and reports what a full load would", async () => {
    const folder = await exampleCopy();
    await writeFile(join(folder, "extra.llm.ts"), unusedTool("Does nothing."));
    // A first process fills the bundle cache: from then on it knows what each file declares.
    await listJson(folder);
    // Changed code is replayed but not recorded: verify writes nothing, even while opening.
    await writeFile(
      join(folder, "weather.llm.ts"),
      `${await readFile(join(folder, "weather.llm.ts"), "utf8")}// edited\n`,
    );

    const one = await verifyPartialAndFull(folder, "city_forecast");
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stderr, /Loaded 3 of 6 declaration files/);
    assert.ok((one.result.functions[0]?.changes.length ?? 0) > 0, "the edit shows as a code change");
    const all = await verifyPartialAndFull(folder);
    assert.match(all.stderr, /Loaded 5 of 6 declaration files/);
    assert.deepEqual(
      all.result.functions.map((f) => f.status),
      ["passed", "passed", "passed"],
    );
    assert.deepEqual(await storedFiles(folder, "verifications"), []);

    // A file that does not load and a name two files declare fail verify however little it loads.
    await writeFile(join(folder, "throws.llm.ts"), 'throw new Error("this file cannot load");\n');
    await writeFile(join(folder, "extra_copy.llm.ts"), unusedTool("Does nothing either."));
    await listJson(folder);
    const problems = await verifyPartialAndFull(folder, "city_forecast");
    assert.equal(problems.code, 1);
    assert.match(problems.stderr, /Loaded 6 of 8 declaration files/);
    assert.equal(problems.result.declarationErrors, 3, "the throw, and the clash at each of its two places");
    await Promise.all(["throws.llm.ts", "extra_copy.llm.ts"].map((file) => rm(join(folder, file))));

    // geocode's file is gone: the workflows calling it are stale, judged on the whole folder.
    await rm(join(folder, "places.llm.ts"));
    const stale = await verifyPartialAndFull(folder);
    assert.equal(stale.code, 1);
    assert.deepEqual(
      stale.result.functions.map((f) => f.status),
      ["stale", "stale", "stale"],
    );
    assert.match(stale.result.functions[0]?.reason ?? "", /uses tool "geocode", but no tool/);
  });

  it("a declaration file that does not compile fails verify, although every function still declared passes", async () => {
    const folder = await exampleCopy();
    await writeFile(
      join(folder, "broken.llm.ts"),
      'import { tool } from "llm-function";\nexport const broken = tool({\n',
    );
    const { code, result, stderr } = await verifyJson(folder);
    assert.equal(code, 1, stderr);
    assert.equal(result.ok, false);
    assert.ok(result.functions.every((f) => f.status === "passed"));
    const text = await llmfn(["verify", "--workspace", folder]);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /broken\.llm\.ts/);
    assert.match(text.stdout, /1 declaration problem \(above\)/);
  });
});
