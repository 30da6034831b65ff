import * as vscode from "vscode";
import { workflowError, type WorkflowError } from "../engine/errors";
import { err, type Result } from "../engine/result";
import { readSettings } from "./configuration";
import { plainText } from "./displayFormat";
import { loadEngine } from "./loadEngine";
import { llmBackendOf, SETTINGS, type SettingValues } from "../workspace/settings/settings";
import { modelAvailable } from "./ollamaModels";

export type EndpointState =
  | { kind: "unknown" }
  | { kind: "checking" }
  | { kind: "ready"; models: string[] }
  | { kind: "model_missing"; models: string[] }
  | { kind: "unreachable"; error: WorkflowError };

const CHECK_TIMEOUT_MS = 5_000;

export async function listModels(
  settings: SettingValues,
  signal?: AbortSignal,
): Promise<Result<string[], WorkflowError>> {
  const engine = loadEngine();
  const host = engine.parseSetting("host", settings.host);
  if (!host.ok) return err(workflowError("CONFIG", "config", engine.describeInvalidSetting(host.error)));
  return engine.createLlmClient(llmBackendOf(settings)).listModels(signal);
}

/** The status-bar item showing whether the configured endpoint answers and serves the model. */
export class EndpointStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    "llmFunction.endpoint",
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: NodeJS.Timeout | undefined;
  private checking: AbortController | undefined;
  private current: EndpointState = { kind: "unknown" };

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.item.name = "LLM Function endpoint";
    this.item.command = "llmFunction.selectModel";
    this.render();
    this.item.show();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if ([SETTINGS.host.key, SETTINGS.model.key].some((key) => event.affectsConfiguration(key))) this.schedule(200);
      }),
    );
  }

  get state(): EndpointState {
    return this.current;
  }

  /** The folder whose settings the item reflects: the active editor's, else the first. */
  scope(): vscode.Uri | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    return folder?.uri;
  }

  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.check(), delayMs);
  }

  async check(): Promise<EndpointState> {
    this.checking?.abort();
    const controller = new AbortController();
    this.checking = controller;
    const settings = readSettings(this.scope());
    this.current = { kind: "checking" };
    this.render(settings);
    const timeout = setTimeout(() => controller.abort(), CHECK_TIMEOUT_MS);
    const models = await listModels(settings, controller.signal).finally(() => clearTimeout(timeout));
    if (this.checking !== controller) return this.current;
    this.current = models.ok
      ? { kind: modelAvailable(settings.model, models.value) ? "ready" : "model_missing", models: models.value }
      : { kind: "unreachable", error: models.error };
    if (!models.ok) this.log.warn(`Endpoint ${settings.host}: ${models.error.kind}: ${models.error.message}`);
    this.render(settings);
    return this.current;
  }

  private render(settings: SettingValues = readSettings(this.scope())): void {
    const state = this.current;
    // Named, so it reads as this extension's among other models' and tools' items without hovering.
    const icon = {
      unknown: "$(symbol-function)",
      checking: "$(sync~spin)",
      ready: "$(symbol-function)",
      model_missing: "$(warning)",
      unreachable: "$(debug-disconnect)",
    }[state.kind];
    this.item.text = `${icon} LLM Function: ${settings.model}`;
    const detail = {
      unknown: "not checked yet",
      checking: "checking…",
      ready: "reachable, model available",
      model_missing: "reachable, but this model is not pulled",
      unreachable: state.kind === "unreachable" ? `unreachable: ${plainText(state.error.message)}` : "",
    }[state.kind];
    this.item.tooltip = `LLM Function: ${settings.model} at ${settings.host}\n${detail}\nClick to select a model.`;
    this.item.accessibilityInformation = {
      label: `LLM Function, model ${settings.model}: ${detail}. Select to choose a model.`,
    };
    this.item.backgroundColor =
      state.kind === "unreachable" || state.kind === "model_missing"
        ? new vscode.ThemeColor("statusBarItem.warningBackground")
        : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.checking?.abort();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
