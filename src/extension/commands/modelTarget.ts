// Where Select Model writes llmFunction.ollama.model: the choice is the user's, with what each means.

export type ModelTarget = "folder" | "user";

export interface ModelTargetItem {
  target: ModelTarget;
  label: string;
  description: string;
  detail: string;
}

/** The setting's current values, as `WorkspaceConfiguration.inspect` gives them. */
export interface ModelValues {
  folder?: string;
  workspace?: string;
  user?: string;
}

/**
 * The two places the model can go. The folder's `.vscode/settings.json` is what `llmfn` and
 * teammates read too; User settings apply to every workspace on this machine but not to the
 * CLI, and a folder or workspace value still overrides them (said when there is one).
 */
export function modelTargetItems(folderName: string, current: ModelValues): ModelTargetItem[] {
  const overriding = current.folder ?? current.workspace;
  return [
    {
      target: "folder",
      label: `This folder (${folderName})`,
      description: current.folder ? `now ${current.folder}` : "",
      detail: "Saved in .vscode/settings.json: the llmfn CLI and teammates who commit it use the same model.",
    },
    {
      target: "user",
      label: "All workspaces (User settings)",
      description: current.user ? `now ${current.user}` : "",
      detail: overriding
        ? `This workspace sets ${overriding}, which takes precedence here; the llmfn CLI does not read User settings.`
        : "Only this VS Code on this machine; the llmfn CLI does not read User settings.",
    },
  ];
}
