import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { CodeServer } from "./codeServer";
import { extensionId } from "./extensionFolder";
import { startSession } from "./session";
import { openViewContainer, reloadWindow, runCommand, viewPane, WORKBENCH_TIMEOUT_MS } from "./workbench";

/** What the extension logs at the end of activate(), timed from its first line. */
const ACTIVATED = /Activated in ([\d.]+) ms\./;

/** Every "Activated in X ms" the extension logged to its LogOutputChannel, one per extension host. */
async function loggedActivations(server: CodeServer): Promise<number[]> {
  const id = await extensionId();
  const found: number[] = [];
  const walk = async (directory: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (directory.endsWith(id) && entry.name.endsWith(".log")) {
        const match = ACTIVATED.exec(await readFile(path, "utf8"));
        if (match?.[1]) found.push(Number(match[1]));
      }
    }
  };
  await walk(server.logsDir);
  return found;
}

async function waitForActivations(page: Page, server: CodeServer, count: number): Promise<number[]> {
  const deadline = Date.now() + WORKBENCH_TIMEOUT_MS;
  for (;;) {
    const activations = await loggedActivations(server).catch(() => []);
    if (activations.length >= count) return activations;
    if (Date.now() > deadline) throw new Error(`The extension logged ${activations.length} of ${count} activations`);
    await page.waitForTimeout(100);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** VS Code's own activation time of the extension (code loading plus activate()), from Running Extensions. */
async function runningExtensionsActivationMs(page: Page): Promise<number> {
  await runCommand(page, "Developer: Show Running Extensions");
  const time = page
    .locator(".runtime-extensions-editor .monaco-list-row", { hasText: "LLM Function" })
    .locator(".activation-time");
  await time.waitFor();
  const text = await time.innerText();
  const match = /Activation: (\d+(?:\.\d+)?)\s*ms/i.exec(text);
  if (!match?.[1]) throw new Error(`Cannot read an activation time from "${text}"`);
  return Number(match[1]);
}

export interface ActivationTimes {
  /** VS Code's activation time: loading the bundle and running activate(), as Running Extensions shows it. */
  activationMs: number;
  /** The time inside activate() alone, as the extension logs it. */
  activateCallMs: number;
}

/**
 * The extension's real activation in code-server: the example workspace opens (its
 * declaration files activate the extension), and each window reload starts a fresh extension
 * host that activates it again. Returns the medians over `runs` activations.
 */
export async function measureActivation(runs = 5): Promise<ActivationTimes> {
  const session = await startSession({ name: "activation", example: "weather" });
  try {
    const { page, server } = session;
    const vscodeTimes: number[] = [];
    for (let run = 1; run <= runs; run++) {
      if (run > 1) await reloadWindow(page);
      await waitForActivations(page, server, run);
      vscodeTimes.push(await runningExtensionsActivationMs(page));
    }
    return { activationMs: median(vscodeTimes), activateCallMs: median(await loggedActivations(server)) };
  } finally {
    await session.close();
  }
}

/** "2026-11-26 11:50:00.123 [info] Activated in 12.3 ms." as VS Code's log writes it (local time). */
const TIMED_ACTIVATION = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) \[info\] Activated in ([\d.]+) ms\./gm;

/** Wall-clock times (ms since the epoch) at which activate() started, one per activation logged, oldest first. */
async function activationStarts(server: CodeServer): Promise<number[]> {
  const id = await extensionId();
  const starts: number[] = [];
  const walk = async (directory: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (directory.endsWith(id) && entry.name.endsWith(".log")) {
        for (const match of (await readFile(path, "utf8")).matchAll(TIMED_ACTIVATION)) {
          starts.push(new Date(`${match[1]}T${match[2]}`).getTime() - Number(match[3]));
        }
      }
    }
  };
  await walk(server.logsDir);
  return starts.sort((a, b) => a - b);
}

/** Browser wall-clock time at which the Functions view first shows a row for `name`. */
async function functionListedAt(page: Page, name: string): Promise<number> {
  const handle = await page.waitForFunction(
    (fn) => {
      for (const pane of document.querySelectorAll(".part.sidebar .pane")) {
        if (pane.querySelector(".pane-header h3.title")?.textContent?.trim() !== "Functions") continue;
        for (const row of pane.querySelectorAll(".monaco-list-row"))
          if (row.textContent?.includes(fn)) return Date.now();
      }
      return false;
    },
    name,
    { polling: "raf", timeout: WORKBENCH_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * From the start of activate() to the first function in the Functions view: activation, loading
 * the engine, discovering and loading the example's declarations, and the view rendering them.
 * The browser and the extension host run on this machine, so their wall clocks agree. The
 * Functions view is open when each window loads, as it is for a user who left it open.
 */
export async function measureTimeToFirstFunctionListed(runs = 5): Promise<number> {
  const session = await startSession({ name: "first-function", example: "weather" });
  try {
    const { page, server } = session;
    await openViewContainer(page, "LLM Function");
    await viewPane(page, "Functions");
    const times: number[] = [];
    for (let run = 1; run <= runs; run++) {
      if (run > 1) await reloadWindow(page);
      const listed = await functionListedAt(page, "city_forecast");
      await waitForActivations(page, server, run);
      const started = (await activationStarts(server))[run - 1];
      if (started === undefined) throw new Error(`No activation logged for window load ${run}`);
      times.push(listed - started);
    }
    return median(times);
  } finally {
    await session.close();
  }
}
