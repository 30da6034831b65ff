import * as vscode from "vscode";
import { isDiscoveryInput, watchedGlobs } from "../../workspace/discovery/watchedFiles";

const DEBOUNCE_MS = 300;

export interface FolderWatchEvents {
  /** Declaration files or sources they may import changed, after a quiet moment. */
  filesChanged(files: string[]): void;
  /** Workflow files changed behind the runtime (the CLI, a pull, a deletion), after a quiet moment. */
  workflowsChanged(): void;
}

/** Watches a folder's declaration files (its `include` globs and their sources) and its stored workflows. */
export function watchFolder(
  folder: vscode.WorkspaceFolder,
  include: readonly string[],
  storagePath: string,
  events: FolderWatchEvents,
): vscode.Disposable {
  const pending = new Set<string>();
  const files = debounced(() => {
    const changed = [...pending];
    pending.clear();
    events.filesChanged(changed);
  });
  const workflows = debounced(() => events.workflowsChanged());
  const onSource = (uri: vscode.Uri) => {
    if (!isDiscoveryInput(uri.fsPath, storagePath)) return;
    pending.add(uri.fsPath);
    files.schedule();
  };
  const watchers = watchedGlobs(include).map((glob) => watch(new vscode.RelativePattern(folder, glob), onSource));
  watchers.push(
    watch(new vscode.RelativePattern(vscode.Uri.file(storagePath), "workflows/*.json"), () => workflows.schedule()),
  );
  return vscode.Disposable.from(...watchers, files, workflows);
}

function watch(pattern: vscode.RelativePattern, listener: (uri: vscode.Uri) => void): vscode.FileSystemWatcher {
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  watcher.onDidCreate(listener);
  watcher.onDidChange(listener);
  watcher.onDidDelete(listener);
  return watcher;
}

/** Runs `action` once events have stopped coming for DEBOUNCE_MS; disposing drops a pending run. */
function debounced(action: () => void): vscode.Disposable & { schedule(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        action();
      }, DEBOUNCE_MS);
    },
    dispose() {
      if (timer) clearTimeout(timer);
    },
  };
}
