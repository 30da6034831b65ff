import * as vscode from "vscode";
import { registerCommands } from "./commands/registerCommands";
import { FunctionCodeLens, registerCodeLens } from "./editor/codeLens";
import { DeclarationDiagnostics } from "./editor/declarationDiagnostics";
import { FolderRuntimes } from "./folderRuntimes";
import { InputFiles } from "./input/inputFiles";
import { LastInputs } from "./input/lastInputs";
import { InspectorPanels } from "./inspector/inspectorPanel";
import { EndpointStatus } from "./statusBar";
import { ResultDocuments } from "./results/resultDocuments";
import { VerifyResults } from "./verify/verifyResults";
import { SetupOffer } from "./setup/setupOffer";
import { registerViews, type Views } from "./views/treeViews";

/** What activate() returns: used by the in-host integration tests and the activation benchmark. */
export interface ExtensionApi {
  readonly folderRuntimes: FolderRuntimes;
  readonly views: Views;
  readonly inspectors: InspectorPanels;
  readonly endpoint: EndpointStatus;
  readonly verifyResults: VerifyResults;
  readonly inputFiles: InputFiles;
  readonly lastInputs: LastInputs;
  readonly setupOffer: SetupOffer;
  /** Time spent in activate() itself, in milliseconds. */
  readonly activationMs: number;
}

/**
 * Registers everything and returns: no discovery, no network and no workspace code run here.
 * Sessions open when a view, a CodeLens or a command first needs them (and shortly after
 * activation in the background, so declaration problems reach the Problems panel).
 */
export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel("LLM Function", { log: true });
  const runtimes = new FolderRuntimes(log, context.workspaceState);
  const endpoint = new EndpointStatus(log);
  const inspectors = new InspectorPanels(context.extensionUri, runtimes, log);
  const lenses = new FunctionCodeLens(runtimes);
  const results = new ResultDocuments();
  const verifyResults = new VerifyResults();
  const inputFiles = new InputFiles(context.storageUri ?? context.globalStorageUri);
  const lastInputs = new LastInputs(context.workspaceState);
  const setupOffer = new SetupOffer(runtimes, context.workspaceState, log);
  context.subscriptions.push(
    log,
    runtimes,
    endpoint,
    inspectors,
    lenses,
    results,
    verifyResults,
    inputFiles,
    setupOffer,
    new DeclarationDiagnostics(runtimes),
  );
  // A removed folder's verification results go with it.
  context.subscriptions.push(
    runtimes.onDidChange((change) => change.reason === "removed" && verifyResults.forget(change.folder.uri.toString())),
  );
  const views = registerViews(runtimes, verifyResults, context.subscriptions);
  context.subscriptions.push(
    ...registerCommands({
      runtimes,
      log,
      inspectors,
      endpoint,
      results,
      verifyResults,
      lastInputs,
      inputFiles,
      extensionUri: context.extensionUri,
    }),
    registerCodeLens(lenses),
  );

  const warmUp = () => {
    endpoint.schedule(0);
    for (const folder of runtimes.folders()) void runtimes.session(folder);
  };
  const timer = setTimeout(warmUp, 250);
  context.subscriptions.push(
    new vscode.Disposable(() => clearTimeout(timer)),
    vscode.workspace.onDidGrantWorkspaceTrust(warmUp),
  );
  if (!vscode.workspace.isTrusted) log.info("Workspace not trusted: no declarations are loaded until it is.");

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms.`);
  return {
    folderRuntimes: runtimes,
    views,
    inspectors,
    endpoint,
    verifyResults,
    inputFiles,
    lastInputs,
    setupOffer,
    activationMs,
  };
}
