// dist/toolHostSnapshotBuilder.js: the detached process that builds a host snapshot (argv: the SnapshotBuild as JSON).
import type { SnapshotBuild } from "./hostSnapshot";
import { buildHostSnapshot } from "./hostSnapshotBuilder";

buildHostSnapshot(JSON.parse(process.argv[2] ?? "{}") as SnapshotBuild).then(
  (outcome) => {
    // Nobody reads its output (the process is detached); the exit code says how it went, for a person trying it by hand.
    if (outcome.kind === "failed") process.stderr.write(`${outcome.message}\n`);
    process.exitCode = outcome.kind === "failed" ? 1 : 0;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
