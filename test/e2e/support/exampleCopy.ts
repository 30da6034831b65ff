import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { EXAMPLES_DIR } from "./paths";

export interface ExampleCopy {
  /** The copied folder: open this, the repository's example is never touched. */
  readonly folder: string;
  remove(): Promise<void>;
}

/** Copies examples/<name> (declarations and committed workflows, not caches) into a temp dir. */
export async function copyExample(name: string): Promise<ExampleCopy> {
  const root = await mkdtemp(join(tmpdir(), `llmfn-e2e-${name}-`));
  const folder = join(root, name);
  const skipped = new Set(["node_modules", "cache", ".cache"]);
  await cp(join(EXAMPLES_DIR, name), folder, { recursive: true, filter: (source) => !skipped.has(basename(source)) });
  return { folder, remove: () => rm(root, { recursive: true, force: true }) };
}
