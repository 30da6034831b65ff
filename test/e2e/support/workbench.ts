import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Frame, Locator, Page } from "playwright-core";
import type { Browser } from "./browser";
import type { CodeServer } from "./codeServer";
import { OUTPUT_DIR } from "./paths";

/** Generous bounds: a cold workbench load on a 2-core machine takes a few seconds. */
export const WORKBENCH_TIMEOUT_MS = 60_000;
export const UI_TIMEOUT_MS = 20_000;

/** Opens a workbench URL (a folder or a workspace file, see CodeServer) in a new page and waits for it to be interactive. */
export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  await page.locator(".part.statusbar").waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  // The explorer shows the folder once the file service and the workspace are up.
  await page.locator(".part.sidebar .monaco-list-row").first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  // Our view container appears once the extension host has scanned the extensions: from then
  // on the palette knows the extension's commands.
  await page
    .locator('.part.activitybar .action-item a[aria-label^="LLM Function"]')
    .waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  return page;
}

export function quickInput(page: Page): Locator {
  return page.locator(".quick-input-widget");
}

function quickInputBox(page: Page): Locator {
  return quickInput(page).locator(".quick-input-box input");
}

/**
 * Runs a command through the palette: Control+Shift+P, its title, its row. Right after start-up
 * the palette may not list contributed commands yet, and a keystroke typed while it opens can be
 * lost: so the text is checked, and the palette is reopened a few times before giving up.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = quickInputBox(page);
  const row = quickInput(page)
    .locator(".monaco-list-row", { has: page.locator(".label-name", { hasText: exactly(title) }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    // A stale quick input (an earlier pick) would swallow the keystroke.
    if (await input.isVisible()) await page.keyboard.press("Escape");
    await page.keyboard.press("Control+Shift+P");
    await input.waitFor({ state: "visible" });
    // The palette opens with ">" typed and focused; typing (rather than fill) is what a user does.
    await page.keyboard.type(title);
    if ((await input.inputValue()) !== `>${title}`) await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await row.click();
}

/**
 * Reloads the window as a user does, with Developer: Reload Window, and waits for the new
 * workbench. Unlike a browser reload, the command waits for the workbench to save its state
 * (open editors, views, webview state), which it otherwise writes only from time to time.
 */
export async function reloadWindow(page: Page): Promise<void> {
  const loaded = page.waitForEvent("load", { timeout: WORKBENCH_TIMEOUT_MS });
  await runCommand(page, "Developer: Reload Window");
  await loaded;
  await page.locator(".monaco-workbench").waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
}

/** Picks the row of the open quick pick whose label is `label`, filtering by it first. */
export async function pickQuickItem(page: Page, label: string): Promise<void> {
  const input = quickInputBox(page);
  await input.waitFor({ state: "visible" });
  await input.fill(label);
  const row = quickInput(page)
    .locator(".monaco-list-row", { has: page.locator(".label-name", { hasText: exactly(label) }) })
    .first();
  await row.waitFor();
  await row.click();
}

/** Answers an open input box (showInputBox) with `value`. */
export async function answerInputBox(page: Page, value: string): Promise<void> {
  const input = quickInputBox(page);
  await input.waitFor({ state: "visible" });
  await input.fill(value);
  await input.press("Enter");
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`);
}

/** A notification toast containing `text`; waits until it shows. */
export async function waitForNotification(
  page: Page,
  text: string | RegExp,
  timeout = UI_TIMEOUT_MS,
): Promise<Locator> {
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: text }).first();
  await toast.waitFor({ state: "visible", timeout }).catch(failedWith(page, "notification"));
  return toast;
}

/** Dismisses every notification, so a screenshot shows what is behind them. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, "Notifications: Clear All Notifications");
  await page.locator(".notifications-toasts .notification-toast").first().waitFor({ state: "hidden" });
}

/**
 * The webview frame that contains `selector`. Webviews are nested iframes; the inner one holds
 * the extension's document, so every frame of the page is searched until one has it.
 */
export async function webviewFrame(page: Page, selector: string, timeout = UI_TIMEOUT_MS): Promise<Frame> {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame
        .locator(selector)
        .count()
        .catch(() => 0);
      if (found > 0) return frame;
    }
    if (Date.now() > deadline)
      return failedWith(page, "webview")(new Error(`No webview frame contains ${selector} after ${timeout} ms`));
    await page.waitForTimeout(200);
  }
}

/** Clicks the activity-bar entry of a view container by its title and waits for its side bar. */
export async function openViewContainer(page: Page, title: string): Promise<Locator> {
  const sidebar = page.locator(".part.sidebar");
  const header = sidebar.locator(".composite.title h2", { hasText: new RegExp(title, "i") });
  if (!(await header.isVisible())) {
    await page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first().click();
  }
  await header.waitFor();
  return sidebar;
}

/** A view (pane) of the side bar by its title, expanded. */
export async function viewPane(page: Page, title: string): Promise<Locator> {
  const pane = page.locator(".part.sidebar .pane", {
    has: page.locator(".pane-header h3.title", { hasText: exactly(title) }),
  });
  await pane.waitFor();
  const header = pane.locator(".pane-header");
  if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
  return pane;
}

/** Tree rows of a view whose accessible label contains `text`. */
export function treeRows(pane: Locator, text: string | RegExp): Locator {
  return pane.locator(".monaco-list-row", { hasText: text });
}

/**
 * Rethrows a wait's failure after saving what the page showed, as `failed-<what>-<time>.png`:
 * a timeout alone does not say whether the thing waited for was late, hidden or never came.
 */
function failedWith(page: Page, what: string): (error: unknown) => Promise<never> {
  return async (error) => {
    const name = `failed-${what}-${new Date().toISOString().replace(/[:.]/g, "")}`;
    const saved = await screenshot(page, name).catch(() => "no screenshot");
    throw Object.assign(error instanceof Error ? error : new Error(String(error)), {
      message: `${error instanceof Error ? error.message : String(error)} (the page then: ${saved})`,
    });
  };
}

/** Saves a screenshot to test-output/e2e/<name>.png (kept by the CI run) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

async function settingsFileHas(server: CodeServer, key: string, value: string): Promise<boolean> {
  const text = await readFile(join(server.userDataDir, "User/settings.json"), "utf8");
  // VS Code truncates the file before writing it: an empty or partial file is not written yet.
  let written: Record<string, unknown>;
  try {
    written = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return false;
  }
  return written[key] === value;
}

/**
 * Changes user settings the way a user does: in the Settings editor, searching for `query`
 * and typing into each setting's text box. Resolves once VS Code has written each to
 * settings.json. The result list re-renders while the search settles, which can drop a value
 * typed into a row about to be replaced, so a value not written within a moment is typed again.
 */
export async function changeSettingsInUi(
  page: Page,
  server: CodeServer,
  query: string,
  values: Record<string, string>,
): Promise<void> {
  await runCommand(page, "Preferences: Open Settings (UI)");
  const editor = page.locator(".settings-editor");
  await editor.waitFor();
  // The search box has the focus when the editor opens.
  await page.keyboard.type(query);
  for (const [key, value] of Object.entries(values)) {
    const input = editor.locator(`.setting-item-contents[data-key="${key}"] input[aria-label="${key}"]`);
    const deadline = Date.now() + UI_TIMEOUT_MS;
    attempts: for (;;) {
      // Text settings are written as they are typed (debounced); no need to leave the box,
      // and tabbing out lands on a toolbar that swallows the palette's key binding.
      await input.fill(value);
      for (let poll = 0; poll < 20; poll++) {
        if (await settingsFileHas(server, key, value)) break attempts;
        await page.waitForTimeout(100);
      }
      if (Date.now() > deadline)
        throw new Error(`The Settings editor did not write ${key} = ${value} to settings.json`);
    }
  }
}
