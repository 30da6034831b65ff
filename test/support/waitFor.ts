/** Each check is this far apart: short enough not to slow a test, long enough not to spin. */
const POLL_MS = 10;
/** Not a speed limit: only how long a wait that will never end may block the suite before it is named. */
const GIVE_UP_MS = 60_000;

/**
 * Waits until `check` holds, for what a test observes but does not drive (a log line, a process
 * exiting, a request reaching a server). Use it instead of sleeping a guessed time and asserting.
 */
export async function waitFor(what: string, check: () => boolean): Promise<void> {
  const giveUpAt = Date.now() + GIVE_UP_MS;
  while (!check()) {
    if (Date.now() > giveUpAt) throw new Error(`still waiting for ${what} after ${GIVE_UP_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
