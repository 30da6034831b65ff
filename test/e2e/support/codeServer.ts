import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installCompanion, installExtension } from "./extensionFolder";
import { assertProvisioned, CODE_SERVER_ENTRY, OUTPUT_DIR } from "./paths";

export interface CodeServerOptions {
  /** Names this server in log file names under test-output/e2e. */
  name: string;
  /** User settings merged over the test defaults (e.g. `llmFunction.ollama.host`). */
  settings?: Record<string, unknown>;
  /** Leave Workspace Trust on, so a test can see the extension's Restricted Mode behaviour. */
  workspaceTrust?: boolean;
  /** Also install the companion extension that runs the in-host suite. */
  companion?: boolean;
  /** Extra environment for the server and so for the extension host. */
  env?: Record<string, string>;
}

export interface CodeServer {
  readonly url: string;
  readonly pid: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** VS Code's own logs (exthost.log and friends) live under here. */
  readonly logsDir: string;
  /** The workbench URL opening `folder`. */
  urlFor(folder: string): string;
  /** The workbench URL opening a multi-root workspace from its `.code-workspace` file. */
  urlForWorkspace(workspaceFile: string): string;
  /** Replaces the user settings.json (test defaults plus `settings`); VS Code picks the change up live. */
  writeSettings(settings: Record<string, unknown>): Promise<void>;
  /** Ends the server's process group (the server, its extension host and whatever they started). */
  stop(): Promise<void>;
}

function defaultSettings(workspaceTrust: boolean): Record<string, unknown> {
  return {
    "security.workspace.trust.enabled": workspaceTrust,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "git.enabled": false,
    "chat.disableAIFeatures": true,
  };
}

const LISTENING = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/;
const START_TIMEOUT_MS = 30_000;

function waitForListening(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => fail(new Error(`code-server (${name}) did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`code-server (${name}) exited with ${code} before listening:\n${output}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

/**
 * Starts code-server on a free loopback port with a fresh user-data-dir and an extensions dir
 * holding the built extension unpacked (build first: `npm run build`).
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertProvisioned();
  const workspaceTrust = options.workspaceTrust ?? false;
  const root = await mkdtemp(join(tmpdir(), `llmfn-e2e-${options.name}-`));
  const userDataDir = join(root, "user-data");
  const extensionsDir = join(root, "extensions");
  await mkdir(join(userDataDir, "User"), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  await installExtension(extensionsDir);
  if (options.companion) await installCompanion(extensionsDir);

  const writeSettings = (settings: Record<string, unknown>) =>
    writeFile(
      join(userDataDir, "User/settings.json"),
      JSON.stringify({ ...defaultSettings(workspaceTrust), ...settings }, null, 2),
    );
  await writeSettings(options.settings ?? {});

  const args = [
    CODE_SERVER_ENTRY,
    // Its own config file, so nothing is written to ~/.config/code-server.
    "--config",
    join(root, "config.yaml"),
    "--auth",
    "none",
    "--bind-addr",
    "127.0.0.1:0",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    "--user-data-dir",
    userDataDir,
    "--extensions-dir",
    extensionsDir,
    ...(workspaceTrust ? [] : ["--disable-workspace-trust"]),
  ];
  await mkdir(OUTPUT_DIR, { recursive: true });
  const log = createWriteStream(join(OUTPUT_DIR, `${options.name}-code-server.log`));
  // Its own process group, so stop() ends the extension host and the tool hosts with it.
  const child = spawn(process.execPath, args, {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error("code-server did not start (no pid)");

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // Already gone between the check and the signal.
      }
      const forced = setTimeout(() => {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // Ended after SIGTERM after all.
        }
      }, 5_000);
      await exited;
      clearTimeout(forced);
    }
    log.end();
    // VS Code's own logs (extension host, renderer) are kept next to the screenshots.
    await rm(join(OUTPUT_DIR, `${options.name}-logs`), { recursive: true, force: true });
    if (existsSync(join(userDataDir, "logs")))
      await cp(join(userDataDir, "logs"), join(OUTPUT_DIR, `${options.name}-logs`), { recursive: true });
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };

  let url: string;
  try {
    url = await waitForListening(child, options.name);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    pid,
    userDataDir,
    extensionsDir,
    logsDir: join(userDataDir, "logs"),
    urlFor: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    urlForWorkspace: (workspaceFile) => `${url}/?workspace=${encodeURIComponent(workspaceFile)}`,
    writeSettings,
    stop,
  };
}
