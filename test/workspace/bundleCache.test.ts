import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { BundleCache } from "../../src/workspace/discovery/bundleCache";
import { DeclarationBundler } from "../../src/workspace/discovery/declarationBundler";
import { runtimeFiles } from "../../src/workspace/packagePaths";
import { WorkspaceSession } from "../../src/workspace/workspaceSession";
import { requireBuilt } from "../support/built";
import { capturingLogger, settingsFor, stringTool, workspaceWith, writeFiles } from "./workspaceFixtures";

before(requireBuilt);

/** A workspace folder holding `files` (workspaceWith's folders go when the test process exits). */
function tempFolder(files: Record<string, string> = {}): Promise<string> {
  return workspaceWith(files);
}

/** A tool whose output comes from a helper module, so a change outside the declaration file shows. */
const helperTool = `import { tool } from "llm-function";
import { z } from "zod";
import { shout } from "./helper";

export const loud = tool(
  { name: "loud", description: "Shouts", input: z.object({ text: z.string() }), output: z.object({ text: z.string() }) },
  ({ text }) => ({ text: shout(text) }),
);
`;

/** Opens a session over `cache`, calls `loud` with "hi" and closes it again. */
async function callLoud(folder: string, cache: string): Promise<unknown> {
  const session = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }));
  try {
    assert.deepEqual(session.discovery.diagnostics, []);
    const loud = session.runtime.tools.byName("loud");
    assert.ok(loud, "loud is discovered");
    return await loud.invoke({ text: "hi" }, {});
  } finally {
    await session.dispose();
  }
}

/** Bundles `files` with a fresh bundler over `cache`, as a new process would; true for each file taken from the cache. */
async function fromCache(folder: string, cache: string, files: string[]): Promise<boolean[]> {
  const session = await tempFolder();
  const bundler = new DeclarationBundler(folder, session, runtimeFiles(), { folder: cache, logger: capturingLogger() });
  const outcomes = await bundler.bundleAll(files.map((f) => join(folder, f)));
  await bundler.flush();
  return outcomes.map((o) => o.cachedReport !== undefined);
}

describe("on-disk bundle cache", () => {
  it("serves an unchanged file from the cache, with what it declared, to a new process", async () => {
    const folder = await tempFolder({
      "a.llm.ts": stringTool("upper"),
      "b.llm.ts": stringTool("lower", "({ text }) => ({ text: text.toLowerCase() })"),
    });
    const cache = await tempFolder();
    const first = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }));
    await first.dispose();
    assert.deepEqual(await fromCache(folder, cache, ["a.llm.ts", "b.llm.ts"]), [true, true]);

    const second = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }));
    try {
      assert.deepEqual(
        second.discovery.tools.map((t) => t.name),
        ["upper", "lower"],
      );
      assert.deepEqual(await second.runtime.tools.byName("lower")?.invoke({ text: "AbC" }, {}), { text: "abc" });
    } finally {
      await second.dispose();
    }
  });

  it("never serves a stale bundle: a changed declaration, helper or dependency is rebuilt", async () => {
    const folder = await tempFolder({
      "loud.llm.ts": helperTool,
      "helper.ts": `import { suffix } from "dep";\nexport const shout = (text: string) => text.toUpperCase() + suffix;\n`,
      "node_modules/dep/package.json": JSON.stringify({ name: "dep", version: "1.0.0", main: "index.js" }),
      "node_modules/dep/index.js": `exports.suffix = "!";\n`,
    });
    const cache = await tempFolder();
    assert.deepEqual(await callLoud(folder, cache), { text: "HI!" });
    assert.deepEqual(await callLoud(folder, cache), { text: "HI!" });

    await writeFile(
      join(folder, "helper.ts"),
      `import { suffix } from "dep";\nexport const shout = (text: string) => text.toUpperCase() + "?" + suffix;\n`,
    );
    assert.deepEqual(await callLoud(folder, cache), { text: "HI?!" });

    await writeFile(join(folder, "node_modules/dep/index.js"), `exports.suffix = "!!";\n`);
    assert.deepEqual(await callLoud(folder, cache), { text: "HI?!!" });

    // Same contents, another version: a package's manifest is part of the key.
    await writeFile(
      join(folder, "node_modules/dep/package.json"),
      JSON.stringify({ name: "dep", version: "1.0.1", main: "other.js" }),
    );
    await writeFile(join(folder, "node_modules/dep/other.js"), `exports.suffix = "~";\n`);
    assert.deepEqual(await callLoud(folder, cache), { text: "HI?~" });

    await writeFile(join(folder, "loud.llm.ts"), helperTool.replace("shout(text)", "shout(text) + shout(text)"));
    assert.deepEqual(await callLoud(folder, cache), { text: "HI?~HI?~" });
  });

  it("rebuilds when a new file changes what an import resolves to", async () => {
    const folder = await tempFolder({
      "loud.llm.ts": helperTool,
      "helper.js": `exports.shout = (text) => text.toUpperCase();\n`,
    });
    const cache = await tempFolder();
    assert.deepEqual(await callLoud(folder, cache), { text: "HI" });
    // esbuild prefers helper.ts over helper.js: no recorded input changed, the folder did.
    await writeFiles(folder, { "helper.ts": `export const shout = (text: string) => text.toUpperCase() + " (ts)";\n` });
    assert.deepEqual(await callLoud(folder, cache), { text: "HI (ts)" });
  });

  it("ignores an entry made by another esbuild or SDK (another configuration key)", async () => {
    const folder = await tempFolder({ "a.llm.ts": stringTool("upper") });
    const cache = await tempFolder();
    const file = join(folder, "a.llm.ts");
    const entry = { file, mode: "aliases" as const, code: "module.exports = {};", runtimeModules: [], diagnostics: [] };
    const made = new BundleCache({
      folder: cache,
      configKey: "esbuild 0.28.2, sdk 1",
      workspaceFolder: folder,
      logger: capturingLogger(),
    });
    await made.store(entry, [file]);
    assert.equal((await made.lookup(file))?.code, entry.code);
    const other = new BundleCache({
      folder: cache,
      configKey: "esbuild 0.28.3, sdk 1",
      workspaceFolder: folder,
      logger: capturingLogger(),
    });
    assert.equal(await other.lookup(file), undefined);
  });

  it("takes an entry without checking its inputs again only when given exactly the digests it was made from", async () => {
    const folder = await tempFolder({ "a.llm.ts": stringTool("upper") });
    const file = join(folder, "a.llm.ts");
    const cache = new BundleCache({
      folder: await tempFolder(),
      configKey: "k",
      workspaceFolder: folder,
      logger: capturingLogger(),
    });
    await cache.store({ file, mode: "aliases", code: "module.exports = {};", runtimeModules: [], diagnostics: [] }, [
      file,
    ]);
    const stored = await cache.lookup(file);
    assert.ok(stored);
    // Changed since: the digests given (as the declaration index gives what it just checked) are trusted, others are not.
    await writeFiles(folder, { "a.llm.ts": stringTool("lower") });
    const verified = { inputs: stored.inputs, context: stored.context };
    assert.equal((await cache.lookupAll([file], new Map([[file, verified]]))).size, 1);
    const other = { inputs: { [file]: "another digest" }, context: stored.context };
    assert.equal((await cache.lookupAll([file], new Map([[file, other]]))).size, 0);
    assert.equal((await cache.lookupAll([file])).size, 0);
  });

  it("ignores a corrupt entry, says so, and rebuilds it", async () => {
    const folder = await tempFolder({ "a.llm.ts": stringTool("upper") });
    const cache = await tempFolder();
    const first = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache }));
    await first.dispose();
    const entries = join(cache, "entries");
    const [name] = await readdir(entries);
    assert.ok(name);
    for (const corrupt of [
      "{ not json",
      JSON.stringify({ format: "bundle-cache-2", file: join(folder, "a.llm.ts") }),
    ]) {
      await writeFile(join(entries, name), corrupt);
      const logger = capturingLogger();
      const session = await WorkspaceSession.open(settingsFor(folder, { bundleCacheFolder: cache, logger }));
      try {
        assert.deepEqual(await session.runtime.tools.byName("upper")?.invoke({ text: "x" }, {}), { text: "X" });
        assert.ok(
          logger.lines.some((line) => line.includes("corrupt bundle cache entry")),
          logger.lines.join("\n"),
        );
      } finally {
        await session.dispose();
      }
      assert.equal(JSON.parse(await readFile(join(entries, name), "utf8")).file, join(folder, "a.llm.ts"));
    }
  });

  it("keeps the cache under its size bound, dropping the least recently used entries", async () => {
    const folder = await tempFolder();
    const cache = await tempFolder();
    const files = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const file = join(folder, `f${i}.llm.ts`);
        await writeFile(file, `export const n = ${i};\n`);
        return file;
      }),
    );
    const code = "x".repeat(10_000);
    const logger = capturingLogger();
    for (const file of files) {
      // Each instance prunes once, as each process does.
      const bounded = new BundleCache({
        folder: cache,
        configKey: "k",
        workspaceFolder: folder,
        maxBytes: 50_000,
        logger,
      });
      await bounded.store({ file, mode: "aliases", code, runtimeModules: [], diagnostics: [] }, [file]);
    }
    const entries = join(cache, "entries");
    const sizes = await Promise.all(
      (await readdir(entries)).map(async (name) => (await stat(join(entries, name))).size),
    );
    assert.ok(sizes.reduce((a, b) => a + b, 0) <= 50_000, `cache holds ${sizes.length} entries`);
    const newest = new BundleCache({ folder: cache, configKey: "k", workspaceFolder: folder, logger });
    assert.equal((await newest.lookup(files.at(-1)!))?.code, code);
    assert.equal(await newest.lookup(files[0]!), undefined);
    assert.deepEqual(logger.lines, []);
  });

  it("writes each new entry once, with its load report, only after discovery; flush writes what is pending", async () => {
    const folder = await tempFolder({ "a.llm.ts": stringTool("upper"), "b.llm.ts": stringTool("lower") });
    const cache = await tempFolder();
    const bundler = new DeclarationBundler(folder, await tempFolder(), runtimeFiles(), {
      folder: cache,
      logger: capturingLogger(),
    });
    const [a, b] = await bundler.bundleAll(["a.llm.ts", "b.llm.ts"].map((f) => join(folder, f)));
    assert.ok(a?.bundle && b?.bundle);
    const report = { tools: [], functions: [], problems: [{ message: "remembered" }] };
    bundler.rememberReport(a.bundle, report);
    // Nothing is written while discovery may still be loading: no entry, no index.
    assert.deepEqual(await readdir(cache).catch(() => []), []);
    await bundler.flush();
    assert.deepEqual(await fromCache(folder, cache, ["a.llm.ts", "b.llm.ts"]), [true, false]);
    const again = new DeclarationBundler(folder, await tempFolder(), runtimeFiles(), {
      folder: cache,
      logger: capturingLogger(),
    });
    const [served] = await again.bundleAll([a.file]);
    assert.deepEqual(served?.cachedReport, report);
    await again.flush();
  });
});
