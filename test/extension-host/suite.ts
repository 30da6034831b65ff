// In-host integration tests: run inside a real VS Code (test-electron, or code-server through the
// companion extension) with a workspace folder holding declaration files (examples/weather).
import * as assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import type { ExtensionApi } from "../../src/extension/extension";
import type { InspectorPanel } from "../../src/extension/inspector/inspectorPanel";
import type { RunRecord } from "../../src/extension/runHistory";
import type { TreeNode } from "../../src/extension/views/viewModel";
import type { WorkflowFile } from "../../src/engine/workflow/types";
import { SELF_CHECK } from "../../src/workspace/toolHost/hostSnapshot";
import { descendantsOf } from "../../src/workspace/toolHost/processTree";
import { WEATHER_PLANS } from "../cli/weatherPlans";
import { purposeOf, queueResponder, startScriptedOllama } from "../support/scriptedOllamaServer";

export const EXTENSION_ID = "llm-function.llm-function";

export interface SuiteResult {
  passed: number;
  failed: number;
  failures: string[];
  /** Names of the tests that passed and those skipped (with why), for the report. */
  passedNames: string[];
  skipped: string[];
}

const COMMANDS = [
  "llmFunction.runFunction",
  "llmFunction.planFunction",
  "llmFunction.inspectWorkflow",
  "llmFunction.deleteWorkflow",
  "llmFunction.verifyWorkflows",
  "llmFunction.selectModel",
  "llmFunction.pullModel",
  "llmFunction.refresh",
  "llmFunction.setUpWorkspace",
  "llmFunction.showLog",
];

class Skip extends Error {}

interface Context {
  api: ExtensionApi;
  folder: vscode.WorkspaceFolder;
}

async function activate(): Promise<ExtensionApi> {
  const extension = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** Every node of a view below the root, folder nodes expanded. */
async function nodes(api: ExtensionApi, view: keyof ExtensionApi["views"]): Promise<TreeNode[]> {
  const provider = api.views[view];
  const result: TreeNode[] = [];
  const visit = async (parent?: TreeNode) => {
    for (const child of await provider.getChildren(parent)) {
      result.push(child);
      if (child.kind === "folder" || child.kind === "workflowGroup") await visit(child);
    }
  };
  await visit();
  return result;
}

async function functionNodes(api: ExtensionApi): Promise<Extract<TreeNode, { kind: "function" }>[]> {
  return (await nodes(api, "functions")).filter(
    (node): node is Extract<TreeNode, { kind: "function" }> => node.kind === "function",
  );
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves on the next change of the folder with this reason. */
function nextChange(
  api: ExtensionApi,
  folder: vscode.WorkspaceFolder,
  reason: string,
  timeoutMs = 15_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no "${reason}" change of ${folder.name} within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = api.folderRuntimes.onDidChange((change) => {
      if (change.reason !== reason || change.folder.uri.toString() !== folder.uri.toString()) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

/**
 * Runs `body` with a user (global) setting changed, then restores it and waits for the folder's
 * session to open again. Skips when the workspace sets the value itself (it would win).
 */
async function withUserSetting(
  context: Context,
  key: string,
  value: unknown,
  body: () => Promise<void>,
): Promise<void> {
  const config = vscode.workspace.getConfiguration("llmFunction", context.folder.uri);
  const inspected = config.inspect(key);
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined)
    throw new Skip(`the workspace sets ${key} itself`);
  const previous = inspected?.globalValue;
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  try {
    await body();
  } finally {
    await config.update(key, previous, vscode.ConfigurationTarget.Global);
    await waitFor(
      "the session to open again",
      async () => (await context.api.folderRuntimes.session(context.folder)) !== undefined,
      45_000,
    );
  }
}

async function readyFunction(context: Context) {
  const ready = (await functionNodes(context.api)).find((node) => node.status === "ready" && node.fn.tests.length > 0);
  if (!ready) throw new Skip("no function of the workspace has a stored completed workflow and a test input");
  return ready;
}

const tests: [string, (context: Context) => Promise<void>][] = [
  [
    "activation is quick and returns the test API",
    async ({ api }) => {
      assert.ok(api.folderRuntimes.trusted, "the test workspace is trusted");
      assert.ok(api.activationMs < 500, `activate() took ${api.activationMs} ms`);
    },
  ],
  [
    "one tool host per folder with declarations: the one forked while the engine loaded is taken over or stopped, never left running",
    async ({ api }) => {
      if (process.platform !== "linux") throw new Skip("processes are listed from /proc");
      // A folder with nothing loaded has no host (none is started for it, the early one is stopped).
      let loaded = 0;
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const session = await api.folderRuntimes.session(folder);
        assert.ok(session, `${folder.name} has a session`);
        if (session.discovery.tools.length + session.discovery.functions.length > 0) loaded++;
      }
      const hosts = () =>
        descendantsOf(process.pid).filter((pid) => {
          try {
            const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
            // A snapshot being built checks itself with a short-lived host: not a folder's.
            return args.some((arg) => arg.endsWith("toolHost.js")) && !args.includes(SELF_CHECK);
          } catch {
            return false;
          }
        });
      assert.ok(loaded > 0, "the test workspace declares tools");
      await waitFor(`one tool host per folder with declarations (${loaded})`, () => hosts().length === loaded);
    },
  ],
  [
    "every command is registered",
    async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const command of COMMANDS) assert.ok(registered.has(command), command);
    },
  ],
  [
    "refresh discovers the functions into the Functions view with a status each",
    async ({ api, folder }) => {
      await vscode.commands.executeCommand("llmFunction.refresh");
      const session = await api.folderRuntimes.session(folder);
      assert.ok(session, "the folder has a session");
      const functions = await functionNodes(api);
      assert.ok(functions.length > 0, "functions are listed");
      assert.deepEqual(
        functions.map((node) => node.fn.name).sort(),
        session.discovery.functions.map((fn) => fn.name).sort(),
      );
      for (const node of functions) {
        const item = await api.views.functions.getTreeItem(node);
        assert.ok(
          ["ready", "not planned", "stale", "failed"].includes(String(item.description)),
          `status of ${node.fn.name}: ${String(item.description)}`,
        );
        assert.equal(item.contextValue, "llmFunction.function");
      }
    },
  ],
  [
    "the Tools view lists tools that open their source line",
    async ({ api }) => {
      const tools = (await nodes(api, "tools")).filter((node) => node.kind === "tool");
      assert.ok(tools.length > 0, "tools are listed");
      const item = api.views.tools.getTreeItem(tools[0]!);
      assert.equal(item.command?.command, "vscode.open");
      const uri = item.command?.arguments?.[0] as vscode.Uri;
      assert.ok(existsSync(uri.fsPath), `${uri.fsPath} exists`);
    },
  ],
  [
    "CodeLens shows Run and Inspect over each declaration",
    async ({ api, folder }) => {
      const session = await api.folderRuntimes.session(folder);
      const fn = session?.discovery.functions[0];
      assert.ok(fn);
      const document = await vscode.workspace.openTextDocument(fn.location.file);
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        "vscode.executeCodeLensProvider",
        document.uri,
      );
      const titles = lenses.map((lens) => lens.command?.title);
      assert.ok(titles.includes("Run") && titles.includes("Inspect"), `lenses: ${titles.join(", ")}`);
    },
  ],
  [
    "invalid input is rejected before anything runs",
    async ({ api, folder }) => {
      const [node] = await functionNodes(api);
      assert.ok(node);
      const session = await api.folderRuntimes.session(folder);
      const before = (await session!.workflows(node.fn.name)).length;
      const record = await vscode.commands.executeCommand<RunRecord | undefined>(
        "llmFunction.runFunction",
        folder.uri.toString(),
        node.fn.name,
        42,
      );
      assert.ok(record, "a run record is returned");
      assert.equal(record.ok, false);
      assert.equal(record.error?.kind, "INPUT_VALIDATION");
      assert.equal((await session!.workflows(node.fn.name)).length, before, "no workflow was written");
    },
  ],
  [
    "a ready function runs from its stored workflow and lands in the run history",
    async (context) => {
      const node = await readyFunction(context);
      const record = await vscode.commands.executeCommand<RunRecord | undefined>(
        "llmFunction.runFunction",
        context.folder.uri.toString(),
        node.fn.name,
        node.fn.tests[0]!.input,
      );
      assert.ok(record?.ok, `run failed: ${record?.error?.kind} ${record?.error?.message}`);
      assert.equal(record.reused, true);
      assert.ok((record.trace?.steps.length ?? 0) > 0, "the run has a per-step trace");
      assert.equal(context.api.folderRuntimes.history(context.folder).forFunction(node.fn.name)[0]?.id, record.id);
    },
  ],
  [
    "the Workflows view lists stored workflows with status and step count",
    async (context) => {
      const node = await readyFunction(context);
      const workflows = (await nodes(context.api, "workflows")).filter(
        (entry) => entry.kind === "workflow" && entry.functionName === node.fn.name,
      );
      assert.ok(workflows.length > 0);
      const item = context.api.views.workflows.getTreeItem(workflows[0]!);
      assert.match(String(item.description), /^(in use · )?\d+ steps?$|^failed$/);
    },
  ],
  [
    "the inspector shows the steps and the run of a function",
    async (context) => {
      const node = await readyFunction(context);
      const panel = await vscode.commands.executeCommand<InspectorPanel | undefined>(
        "llmFunction.inspectWorkflow",
        context.folder.uri.toString(),
        node.fn.name,
      );
      assert.ok(panel, "the inspector opened");
      try {
        const state = panel.currentState;
        assert.ok(state?.selected, "a workflow is selected");
        assert.equal(state.selected.steps[0]?.kind, "input");
        assert.equal(state.selected.steps.at(-1)?.kind, "output");
        assert.ok(state.selected.steps.some((step) => step.kind === "tool"));
        assert.ok(state.runs.length > 0, "the run of the previous test is shown");
        assert.ok(context.api.inspectors.open.includes(panel));
      } finally {
        panel.panel.dispose();
      }
    },
  ],
  [
    "an unreachable endpoint shows in the status item and applies without reload",
    async ({ api, folder }) => {
      const config = vscode.workspace.getConfiguration("llmFunction", folder.uri);
      const inspected = config.inspect<string>("ollama.host");
      if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined)
        throw new Skip("the workspace sets ollama.host itself");
      const previous = inspected?.globalValue;
      await config.update("ollama.host", "http://127.0.0.1:9", vscode.ConfigurationTarget.Global);
      try {
        const session = await api.folderRuntimes.session(folder);
        await waitFor(
          "the endpoint change to apply",
          () => session?.settings.llm.type === "ollama" && session.settings.llm.host === "http://127.0.0.1:9",
        );
        const state = await api.endpoint.check();
        assert.equal(state.kind, "unreachable");
      } finally {
        await config.update("ollama.host", previous, vscode.ConfigurationTarget.Global);
      }
    },
  ],
  [
    "a workflow file written behind the runtime (CLI, git pull) is used by the next run, not the cached one",
    async (context) => {
      const node = await readyFunction(context);
      const { api, folder } = context;
      const session = await api.folderRuntimes.session(folder);
      assert.ok(session);
      const input = node.fn.tests[0]!.input;
      const first = await vscode.commands.executeCommand<RunRecord | undefined>(
        "llmFunction.runFunction",
        folder.uri.toString(),
        node.fn.name,
        input,
      );
      assert.ok(first?.ok, "the first run holds the stored workflow in memory");
      const newest = (await session.workflows(node.fn.name)).find((stored) => stored.workflow.completed);
      assert.ok(newest);
      const savedAt = new Date().toISOString();
      const id = `probe-${Date.now()}`;
      const copy = path.join(
        path.dirname(newest.file),
        `${newest.workflow.inputId}_${id}_${savedAt.replace(/[-:.]/g, "")}.json`,
      );
      const written = nextChange(api, folder, "workflows");
      writeFileSync(copy, JSON.stringify({ ...JSON.parse(readFileSync(newest.file, "utf8")), id, savedAt }, null, 2));
      try {
        await written;
        const second = await vscode.commands.executeCommand<RunRecord | undefined>(
          "llmFunction.runFunction",
          folder.uri.toString(),
          node.fn.name,
          input,
        );
        assert.ok(second?.ok, `run failed: ${second?.error?.kind} ${second?.error?.message}`);
        assert.equal(
          second.workflowId,
          id,
          "the run used the newest file, not the workflow cached before it was written",
        );
      } finally {
        const removed = nextChange(api, folder, "workflows");
        rmSync(copy, { force: true });
        await removed;
      }
    },
  ],
  [
    "runs of a workflow planned in this session say it was reused, not newly planned",
    async (context) => {
      const { api, folder } = context;
      const functionName = "city_forecast";
      const fn = (await functionNodes(api)).find((node) => node.fn.name === functionName)?.fn;
      if (!fn?.tests[0]) throw new Skip(`the workspace has no ${functionName} with a test input`);
      // The suite's own scripted Ollama answers exactly one check and one plan: the plan the
      // example's committed workflows come from.
      const ollama = await startScriptedOllama({
        respond: queueResponder({
          check: [{ json: { justification: "geocode and forecast cover it.", decision: true } }],
          plan: [{ json: { steps: WEATHER_PLANS[functionName]?.steps } }],
        }),
      });
      let planned: string | undefined;
      try {
        await withUserSetting(context, "ollama.host", ollama.url, async () => {
          const session = await api.folderRuntimes.session(folder);
          await waitFor(
            "the scripted endpoint to apply",
            () => session?.settings.llm.type === "ollama" && session.settings.llm.host === ollama.url,
          );
          const workflow = await vscode.commands.executeCommand<WorkflowFile | undefined>(
            "llmFunction.planFunction",
            folder.uri.toString(),
            functionName,
          );
          assert.ok(workflow?.completed, "the function was planned in this session");
          planned = (await session?.workflows(functionName))?.find(
            // Same plan, maybe the same id as a committed file: the save time tells this one apart.
            (stored) => stored.workflow.id === workflow.id && stored.workflow.savedAt === workflow.savedAt,
          )?.file;
          const input = fn.tests[0]?.input;
          for (const which of ["first", "second"]) {
            const record = await vscode.commands.executeCommand<RunRecord | undefined>(
              "llmFunction.runFunction",
              folder.uri.toString(),
              functionName,
              input,
            );
            assert.ok(record?.ok, `the ${which} run failed: ${record?.error?.kind} ${record?.error?.message}`);
            assert.equal(record.workflowId, workflow.id, `the ${which} run used the workflow just planned`);
            assert.equal(record.reused, true, `the ${which} run reused the stored workflow`);
          }
          assert.deepEqual(ollama.requests.map(purposeOf), ["check", "plan"], "only the planning asked the LLM");
        });
      } finally {
        await ollama.close();
        // The workspace goes back to its committed workflows for the tests after this one.
        if (planned) {
          const removed = nextChange(api, folder, "workflows");
          rmSync(planned, { force: true });
          await removed;
        }
      }
    },
  ],
  [
    "planning settings and the tool timeout apply in place: same session, same tool host",
    async (context) => {
      const { api, folder } = context;
      const session = await api.folderRuntimes.session(folder);
      assert.ok(session, "the folder has a session");
      const pid = session.toolHostPid;
      const runtime = session.runtime;
      await withUserSetting(context, "planning.maxRetry", 3, async () => {
        await waitFor("maxRetry 3 to apply", () => session.settings.runtime?.maxRetry === 3);
        assert.notEqual(session.runtime, runtime, "the next call gets a runtime with the new planning settings");
        assert.equal(await api.folderRuntimes.session(folder), session, "the session was not reopened");
        assert.equal(session.toolHostPid, pid, "the tool host was not restarted");
      });
      await withUserSetting(context, "tools.timeoutMs", 12_345, async () => {
        await waitFor("the tool timeout to apply", () => session.settings.toolTimeoutMs === 12_345);
        assert.equal(await api.folderRuntimes.session(folder), session, "the session was not reopened");
        assert.equal(session.toolHostPid, pid, "the tool host was not restarted");
      });
    },
  ],
  [
    "a setting out of bounds fails the folder once, names the setting and is not reopened by every refresh",
    async (context) => {
      const { api, folder } = context;
      let failures = 0;
      const subscription = api.folderRuntimes.onDidChange((change) => {
        if (change.reason === "failed" && change.folder.uri.toString() === folder.uri.toString()) failures++;
      });
      try {
        await withUserSetting(context, "planning.maxRetry", 0, async () => {
          await waitFor(
            "the folder to fail",
            async () =>
              (await api.folderRuntimes.session(folder)) === undefined &&
              api.folderRuntimes.openError(folder) !== undefined,
          );
          // What every view refresh does: before the fix each of these opened (and failed) again.
          for (let i = 0; i < 5; i++) {
            assert.equal(await api.folderRuntimes.session(folder), undefined);
            const [message] = await nodes(api, "functions");
            assert.equal(message?.kind === "message" ? message.text : undefined, "Invalid settings");
          }
          await new Promise((resolve) => setTimeout(resolve, 500));
          assert.equal(failures, 1, "one failure, no reopen loop");
          const failure = api.folderRuntimes.openError(folder);
          assert.equal(failure?.cause, "settings");
          assert.match(
            failure?.message ?? "",
            /^Invalid setting llmFunction\.planning\.maxRetry: [\s\S]*\(CONFIG, config stage\)$/,
          );
        });
      } finally {
        subscription.dispose();
      }
    },
  ],
  [
    "host:port gets http:// and a host that is no URL is a CONFIG error naming llmFunction.ollama.host",
    async (context) => {
      const { api, folder } = context;
      await withUserSetting(context, "ollama.host", "127.0.0.1:9", async () => {
        await waitFor("the endpoint change to apply", async () => {
          const session = await api.folderRuntimes.session(folder);
          return session?.settings.llm.type === "ollama" && session.settings.llm.host === "http://127.0.0.1:9";
        });
        assert.equal((await api.endpoint.check()).kind, "unreachable");
      });
      await withUserSetting(context, "ollama.host", "http://exa mple", async () => {
        await waitFor(
          "the folder to fail",
          async () =>
            (await api.folderRuntimes.session(folder)) === undefined &&
            api.folderRuntimes.openError(folder) !== undefined,
        );
        assert.match(
          api.folderRuntimes.openError(folder)?.message ?? "",
          /^Invalid setting llmFunction\.ollama\.host: [\s\S]*\(CONFIG, config stage\)$/,
        );
        const state = await api.endpoint.check();
        assert.equal(state.kind === "unreachable" ? state.error.kind : state.kind, "CONFIG");
      });
    },
  ],
  [
    "CodeLens follows a changed discovery.include setting",
    async (context) => {
      const { folder } = context;
      const probe = path.join(folder.uri.fsPath, "lens.probe.ts");
      writeFileSync(
        probe,
        'import { llmFunction } from "llm-function";\nimport { z } from "zod";\n\n' +
          'export const lensProbe = llmFunction({ name: "lens_probe", description: "Probe of the CodeLens test.", input: z.object({ a: z.string() }), output: z.object({ b: z.string() }) });\n',
      );
      const include =
        vscode.workspace.getConfiguration("llmFunction", folder.uri).get<string[]>("discovery.include") ?? [];
      try {
        await withUserSetting(context, "discovery.include", [...include, "**/*.probe.ts"], async () => {
          const document = await vscode.workspace.openTextDocument(probe);
          let titles: (string | undefined)[] = [];
          await waitFor("lenses over the probe", async () => {
            const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
              "vscode.executeCodeLensProvider",
              document.uri,
            );
            titles = lenses.map((lens) => lens.command?.title);
            return titles.includes("Run");
          }).catch((error: unknown) => assert.fail(`${String(error)}; lenses: ${titles.join(", ")}`));
          assert.ok(titles.includes("Inspect"));
        });
      } finally {
        rmSync(probe, { force: true });
      }
    },
  ],
  [
    "Select Model saved for this folder lands in .vscode/settings.json, where the CLI reads it",
    async ({ folder }) => {
      const file = path.join(folder.uri.fsPath, ".vscode", "settings.json");
      const chosen = await vscode.commands.executeCommand<string | undefined>(
        "llmFunction.selectModel",
        "picked-model:1b",
        "folder",
      );
      assert.equal(chosen, "picked-model:1b");
      try {
        await waitFor(
          "the folder's settings file",
          () => existsSync(file) && readFileSync(file, "utf8").includes("picked-model:1b"),
        );
        const written = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
        assert.equal(written["llmFunction.ollama.model"], "picked-model:1b");
        assert.equal(
          vscode.workspace.getConfiguration("llmFunction", folder.uri).inspect("ollama.model")?.globalValue,
          undefined,
          "User settings are left alone",
        );
      } finally {
        await vscode.workspace
          .getConfiguration("llmFunction", folder.uri)
          .update("ollama.model", undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    },
  ],
  [
    "unresolved llm-function and zod imports offer Set Up Workspace: a quick fix on the import and one notice per folder",
    async ({ api, folder }) => {
      if (!vscode.extensions.getExtension("vscode.typescript-language-features"))
        throw new Skip("this VS Code has no TypeScript language features");
      const document = await vscode.workspace.openTextDocument(path.join(folder.uri.fsPath, "functions.llm.ts"));
      await vscode.window.showTextDocument(document);
      const unresolved = () =>
        vscode.languages
          .getDiagnostics(document.uri)
          .find((d) => /Cannot find module '(llm-function|zod)'/.test(d.message));
      await waitFor("the editor's import errors", () => unresolved() !== undefined, 50_000);
      const diagnostic = unresolved();
      assert.ok(diagnostic);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        document.uri,
        diagnostic.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((action) => action.command?.command === "llmFunction.setUpWorkspace");
      assert.ok(fix, `quick fixes: ${actions.map((action) => action.title).join(" | ")}`);
      assert.deepEqual(fix.command?.arguments, [folder.uri.toString()]);
      await waitFor("the folder to be offered set-up", () => api.setupOffer.offered().includes(folder.uri.toString()));
      assert.equal(
        api.setupOffer.offered().filter((uri) => uri === folder.uri.toString()).length,
        1,
        "once per folder",
      );
      await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
    },
  ],
  [
    "Set Up Workspace makes llm-function and zod types resolve in the editor, from what the extension ships",
    async ({ folder }) => {
      const written = await vscode.commands.executeCommand<string[] | undefined>(
        "llmFunction.setUpWorkspace",
        folder.uri.toString(),
      );
      assert.ok(written, "the command reports what it wrote");
      const types = path.join(folder.uri.fsPath, ".llm-function", "types");
      assert.ok(existsSync(path.join(types, "llm-function", "index.d.ts")));
      assert.ok(existsSync(path.join(types, "zod", "index.d.ts")), "zod's declarations are copied from the extension");
      if (!vscode.extensions.getExtension("vscode.typescript-language-features"))
        throw new Skip("this VS Code has no TypeScript language features");
      // A probe with one deliberate type error: the error is only reported when both modules' types resolve.
      const probe = path.join(folder.uri.fsPath, "types-probe.ts");
      writeFileSync(
        probe,
        'import { z } from "zod";\nimport { tool } from "llm-function";\n' +
          'export const probe = tool({ name: "probe", description: "d", input: z.object({ a: z.string() }), output: z.object({ b: z.number() }) }, ({ a }) => ({ b: a }));\n',
      );
      try {
        const document = await vscode.workspace.openTextDocument(probe);
        await vscode.window.showTextDocument(document);
        const deadline = Date.now() + 50_000;
        while (vscode.languages.getDiagnostics(document.uri).length === 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 250));
        const messages = vscode.languages.getDiagnostics(document.uri).map((d) => d.message);
        assert.ok(!messages.some((m) => /Cannot find module/.test(m)), `unresolved imports: ${messages.join(" | ")}`);
        assert.ok(
          messages.some((m) => /'string' is not assignable to type 'number'/.test(m)),
          `the handler's typed output is checked: ${messages.join(" | ")}`,
        );
      } finally {
        rmSync(probe, { force: true });
      }
    },
  ],
];

/** Runs every test in order; never throws. */
export async function run(): Promise<SuiteResult> {
  const result: SuiteResult = { passed: 0, failed: 0, failures: [], passedNames: [], skipped: [] };
  let context: Context;
  try {
    const api = await activate();
    const folder = api.folderRuntimes.folders()[0];
    assert.ok(folder, "a trusted local workspace folder is open");
    context = { api, folder };
  } catch (error) {
    result.failed++;
    result.failures.push(`setup: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }
  for (const [name, body] of tests) {
    try {
      await Promise.race([
        body(context),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timed out after 60 s")), 60_000)),
      ]);
      result.passed++;
      result.passedNames.push(name);
    } catch (error) {
      if (error instanceof Skip) {
        result.skipped.push(`${name}: ${error.message}`);
        continue;
      }
      result.failed++;
      result.failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  return result;
}
