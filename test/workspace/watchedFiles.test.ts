import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { isDiscoveryInput, watchedGlobs } from "../../src/workspace/discovery/watchedFiles";

const folder = join("/work", "app");
const storage = join(folder, ".llm-function");

test("declaration files and the sources they may import are watched", () => {
  assert.deepEqual(watchedGlobs(["src/**/*.fn.ts"]), ["src/**/*.fn.ts", "**/*.{ts,mts,cts,tsx,js,mjs,cjs,jsx,json}"]);
});

test("changes in dependencies, git's files and the session's own storage are not discovery inputs", () => {
  assert.equal(isDiscoveryInput(join(folder, "tools.llm.ts"), storage), true);
  assert.equal(isDiscoveryInput(join(folder, "lib", "format.ts"), storage), true);
  assert.equal(isDiscoveryInput(join(folder, "node_modules", "zod", "index.js"), storage), false);
  assert.equal(isDiscoveryInput(join(folder, ".git", "index.json"), storage), false);
  assert.equal(isDiscoveryInput(join(storage, "workflows", "f.json"), storage), false);
  assert.equal(
    isDiscoveryInput(join(folder, ".llm-function-old", "tools.llm.ts"), storage),
    true,
    "a sibling that only shares the prefix",
  );
});

test("a storage folder outside the workspace folder hides nothing inside it", () => {
  assert.equal(isDiscoveryInput(join(folder, "a.llm.ts"), join("/srv", "store")), true);
  assert.equal(isDiscoveryInput(join("/srv", "store", "workflows", "f.json"), join("/srv", "store")), false);
});
