import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { silentLogger } from "../../src/engine/logger";
import { DeclarationIndex } from "../../src/workspace/discovery/declarationIndex";
import { tempFolder } from "../support/tempFolders";

const digest = (text: string): string => createHash("sha256").update(text).digest("hex");

/** A whole second, long ago: a time `utimes` sets back exactly (a Date rounds to milliseconds). */
const LONG_AGO_S = 1_000_000_000;

/** A declaration file and an index recording what it declares; `late`: checks run long after the file was written. */
async function indexedFile(late: boolean): Promise<{ file: string; indexPath: string; open: () => DeclarationIndex }> {
  const folder = await tempFolder("llmfn-index-");
  const file = join(folder, "a.llm.ts");
  await writeFile(file, "export const a = 1;\n");
  await utimes(file, LONG_AGO_S, LONG_AGO_S);
  const indexPath = join(folder, "index.json");
  const open = () => new DeclarationIndex(indexPath, silentLogger, () => Date.now() + (late ? 10_000 : 0));
  const index = open();
  const check = index.check([file]);
  assert.equal(check.valid.size, 0);
  const record = {
    inputs: { [file]: digest("export const a = 1;\n") },
    context: {},
    names: ["tool:a"],
    problem: false,
  };
  index.update([file], new Map([[file, record]]), check.checkedAt);
  await index.flush();
  return { file, indexPath, open };
}

interface SavedIndex {
  signed: Record<string, { signature: string; digest: string }>;
}

async function savedIndex(indexPath: string): Promise<SavedIndex> {
  return JSON.parse(await readFile(indexPath, "utf8")) as SavedIndex;
}

/** The keys the index file holds signed digests for. */
async function signedKeys(indexPath: string): Promise<string[]> {
  return Object.keys((await savedIndex(indexPath)).signed);
}

describe("the declaration index", () => {
  it("signs a file's digest with its stat signature once the file has settled, and trusts it without reading the file", async () => {
    const { file, indexPath, open } = await indexedFile(true);
    assert.deepEqual(await signedKeys(indexPath), [`file:${file}`]);
    assert.deepEqual(
      [...open().check([file]).valid.values()].map((r) => r.names),
      [["tool:a"]],
    );
    // A signed digest that is not the record's (as if the file had been read as something else):
    // trusted over the file itself, so the record no longer holds.
    const saved = await savedIndex(indexPath);
    saved.signed[`file:${file}`]!.digest = digest("something else");
    await writeFile(indexPath, JSON.stringify(saved));
    assert.equal(open().check([file]).valid.size, 0);
  });

  it("sees an edit that keeps the size and the modification time: the change time moves", async () => {
    const { file, open } = await indexedFile(true);
    const before = await stat(file);
    await writeFile(file, "export const b = 1;\n");
    await utimes(file, LONG_AGO_S, LONG_AGO_S);
    const after = await stat(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(open().check([file]).valid.size, 0);
  });

  it("signs nothing written just before the check, and checks such files by content", async () => {
    const { file, indexPath, open } = await indexedFile(false);
    assert.deepEqual(await signedKeys(indexPath), []);
    assert.equal(open().check([file]).valid.size, 1);
    await writeFile(file, "export const b = 1;\n");
    assert.equal(open().check([file]).valid.size, 0);
  });

  it("signs a record checked by content once its files have settled", async () => {
    const { file, indexPath } = await indexedFile(false);
    const late = new DeclarationIndex(indexPath, silentLogger, () => Date.now() + 10_000);
    assert.equal(late.check([file]).valid.size, 1);
    await late.flush();
    assert.deepEqual(await signedKeys(indexPath), [`file:${file}`]);
  });

  it("signs no record given without the time its digests were verified after", async () => {
    const folder = await tempFolder("llmfn-index-");
    const file = join(folder, "a.llm.ts");
    await writeFile(file, "export const a = 1;\n");
    const indexPath = join(folder, "index.json");
    const index = new DeclarationIndex(indexPath, silentLogger, () => Date.now() + 10_000);
    const record = { inputs: { [file]: digest("export const a = 1;\n") }, context: {}, names: [], problem: false };
    index.update([file], new Map([[file, record]]));
    await index.flush();
    assert.deepEqual(await signedKeys(indexPath), []);
  });

  it("writes a resolution context the records share once, and reads each record back with it", async () => {
    const folder = await tempFolder("llmfn-index-");
    const indexPath = join(folder, "index.json");
    const context = {
      [`file:${join(folder, "package.json")}`]: "missing",
      [`file:${join(folder, "tsconfig.json")}`]: "missing",
    };
    const files = ["a", "b", "c"].map((name) => join(folder, `${name}.llm.ts`));
    await Promise.all(files.map((file) => writeFile(file, file)));
    const index = new DeclarationIndex(indexPath, silentLogger);
    const check = index.check(files);
    const record = (file: string) => ({
      inputs: { [file]: digest(file) },
      context,
      names: [`tool:${file}`],
      problem: false,
    });
    index.update(files, new Map(files.map((file) => [file, record(file)])), check.checkedAt);
    await index.flush();
    const saved = JSON.parse(await readFile(indexPath, "utf8")) as { contexts: unknown[] };
    assert.deepEqual(saved.contexts, [context]);
    const reread = new DeclarationIndex(indexPath, silentLogger).check(files).valid;
    assert.deepEqual(
      [...reread],
      files.map((file) => [file, record(file)]),
    );
  });
});
