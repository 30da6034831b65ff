import { existsSync } from "node:fs";
import * as vscode from "vscode";
import { setUpWorkspaceFolder, TYPES_DIR } from "../setup/workspaceSetup";
import type { CommandContext } from "./commandContext";
import { pickFolder } from "./pickFunction";

/** The zod package shipped with the extension, whose declarations are copied. */
function zodPackage(extensionUri: vscode.Uri): string | undefined {
  const candidates = [
    vscode.Uri.joinPath(extensionUri, "dist", "types", "zod").fsPath,
    vscode.Uri.joinPath(extensionUri, "node_modules", "zod").fsPath,
  ];
  return candidates.find((candidate) => existsSync(`${candidate}/index.d.ts`));
}

/** `llmFunction.setUpWorkspace(folderUri?)`: types for the editor and, if needed, an example declaration file. */
export async function setUpWorkspace(context: CommandContext, folderUri?: string): Promise<string[] | undefined> {
  if (!context.runtimes.trusted) {
    void vscode.window.showWarningMessage("Trust this workspace before setting it up for LLM Function.");
    return undefined;
  }
  const folder = await pickFolder(context.runtimes, folderUri);
  if (!folder) return undefined;
  const session = await context.runtimes.session(folder);
  const hasDeclarations = (session?.discovery.files.length ?? 0) > 0;
  const result = await setUpWorkspaceFolder(
    folder.uri.fsPath,
    {
      sdkTypes: vscode.Uri.joinPath(context.extensionUri, "media", "types", "llm-function.d.ts").fsPath,
      zodPackage: zodPackage(context.extensionUri),
    },
    { addExample: !hasDeclarations },
  );
  for (const file of result.written) context.log.info(`Set up: wrote ${file}`);
  for (const note of result.notes) context.log.info(`Set up: ${note}`);
  // Files already open keep the project TypeScript made for them without the new types: a restart
  // of its server makes their import errors go now, not after a reload.
  if (result.written.length > 0 && vscode.extensions.getExtension("vscode.typescript-language-features")?.isActive) {
    await vscode.commands
      .executeCommand("typescript.restartTsServer")
      .then(undefined, (error: unknown) =>
        context.log.warn(`Set up: restarting the TypeScript server failed: ${String(error)}`),
      );
  }
  if (result.example) {
    await vscode.window.showTextDocument(vscode.Uri.file(result.example));
    await context.runtimes.refresh(folder);
  }
  void vscode.window.showInformationMessage(
    `${folder.name} is set up for LLM Function: types for "llm-function" and "zod" are in ${TYPES_DIR}.${result.notes.length > 0 ? ` ${result.notes.join(" ")}` : ""}`,
  );
  return result.written;
}
