// Where llm-function keeps what it can rebuild (declaration bundles, compiled code): zod-free, so
// that the CLI's small start can find it before loading the rest.
import { homedir } from "node:os";
import { join } from "node:path";

/** The OS cache folder for this package, unless LLMFN_CACHE_DIR names another; undefined when it is "off". */
export function cacheRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const chosen = env.LLMFN_CACHE_DIR?.trim();
  if (chosen === "off") return undefined;
  if (chosen) return chosen;
  const base =
    platform === "win32"
      ? (env.LOCALAPPDATA ?? join(homedir(), "AppData", "Local"))
      : platform === "darwin"
        ? join(homedir(), "Library", "Caches")
        : (env.XDG_CACHE_HOME ?? join(homedir(), ".cache"));
  return join(base, "llm-function");
}
