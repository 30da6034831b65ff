import { existsSync } from "node:fs";
import { join } from "node:path";

const repoRoot = join(__dirname, "..", "..");

/** What the tests that start real processes run: `npm run test:unit` builds them once, before any test. */
const BUILT = [
  "dist/cli.js",
  "dist/cliProgram.js",
  "dist/toolHost.js",
  "dist/toolHostSnapshot.js",
  "dist/toolHostSnapshotBuilder.js",
  "dist/runtime-modules/llm-function.mjs",
  "dist/runtime-modules/zod.mjs",
];

/**
 * Fails at once with what to do when the bundles are missing. Tests never build them: several
 * test files rebuilding dist/ in parallel replaced files other tests were loading.
 */
export function requireBuilt(): void {
  const missing = BUILT.filter((file) => !existsSync(join(repoRoot, file)));
  if (missing.length > 0)
    throw new Error(
      `${missing.join(", ")} missing: run \`node esbuild.mjs cli toolHost sdk zod\` first (npm run test:unit does).`,
    );
}
