import assert from "node:assert/strict";
import { mkdir, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import { newestEvalReport } from "../../src/workspace/evaluation/evalReports";
import { tempFolder } from "../support/tempFolders";

test("the newest evaluation report across storage folders is found; missing folders are no error", async () => {
  const root = await tempFolder("llmfn-eval-reports-");
  try {
    const a = join(root, "a", ".llm-function");
    const b = join(root, "b", ".llm-function");
    assert.equal(await newestEvalReport([a, b]), undefined);
    const write = async (storage: string, stamp: string, seconds: number) => {
      await mkdir(join(storage, "eval", stamp), { recursive: true });
      const file = join(storage, "eval", stamp, "report.md");
      await writeFile(file, "# report");
      await utimes(file, seconds, seconds);
      return file;
    };
    await write(a, "20261126T090000000Z", 1_000);
    const newest = await write(b, "20261126T100000000Z", 3_000);
    await write(a, "20261126T095000000Z", 2_000);
    // A run folder without its report (an evaluation under way) is skipped.
    await mkdir(join(b, "eval", "20261126T110000000Z"), { recursive: true });
    assert.equal(await newestEvalReport([a, b, join(root, "missing")]), newest);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
