import type { Page } from "playwright-core";
import { launchBrowser, type Browser } from "./browser";
import { startCodeServer, type CodeServer, type CodeServerOptions } from "./codeServer";
import { copyExample, type ExampleCopy } from "./exampleCopy";
import { openWorkbench } from "./workbench";

/** One code-server, one browser page and one copy of an example, torn down together. */
export interface E2eSession {
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly example: ExampleCopy;
  readonly page: Page;
  close(): Promise<void>;
}

export interface E2eSessionOptions extends CodeServerOptions {
  example: string;
  /** Runs on the copied example before the workbench opens it. */
  prepare?: (folder: string) => Promise<void>;
  /**
   * Builds a multi-root workspace around the copied example (after `prepare`) and returns its
   * `.code-workspace` file, which the workbench then opens instead of the folder. Whatever it
   * creates belongs under `dirname(folder)`, removed with the copy.
   */
  workspace?: (folder: string) => Promise<string>;
}

export async function startSession(options: E2eSessionOptions): Promise<E2eSession> {
  const example = await copyExample(options.example);
  const opened: { server?: CodeServer; browser?: Browser } = {};
  const close = async () => {
    await opened.browser?.close();
    await opened.server?.stop();
    await example.remove();
  };
  try {
    await options.prepare?.(example.folder);
    const workspaceFile = await options.workspace?.(example.folder);
    opened.server = await startCodeServer(options);
    opened.browser = await launchBrowser();
    const url = workspaceFile ? opened.server.urlForWorkspace(workspaceFile) : opened.server.urlFor(example.folder);
    const page = await openWorkbench(opened.browser, url);
    return { server: opened.server, browser: opened.browser, example, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}
