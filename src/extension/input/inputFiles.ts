import * as vscode from "vscode";
import { isPlainObject } from "../../engine/json/isPlainObject";
import type { JsonSchema } from "../../engine/jsonSchema";
import { withSchemaKey } from "./schemaKey";

const INPUT_SUFFIX = ".input.json";

/** Where an input file belongs: its folder and function, read back from its path. */
export interface InputFileTarget {
  folderUri: string;
  functionName: string;
}

function folderKey(folderUri: string): string {
  return Buffer.from(folderUri, "utf8").toString("base64url");
}

/**
 * Inputs too large for the input box are edited as JSON files in the extension's storage:
 * `<storage>/inputs/<folder>/<function>.input.json`, with a `$schema` pointing at the function's
 * input schema beside it, so VS Code's JSON support validates and completes as the user types.
 * A CodeLens on the first line runs the function with the file's content.
 */
export class InputFiles implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly root: vscode.Uri;
  private readonly registration: vscode.Disposable;

  constructor(storage: vscode.Uri) {
    this.root = vscode.Uri.joinPath(storage, "inputs");
    this.registration = vscode.languages.registerCodeLensProvider({ language: "json", scheme: storage.scheme }, this);
  }

  fileFor(target: InputFileTarget): vscode.Uri {
    return vscode.Uri.joinPath(this.root, folderKey(target.folderUri), `${target.functionName}${INPUT_SUFFIX}`);
  }

  /** The folder and function of an input file, or undefined for any other document. */
  targetOf(uri: vscode.Uri): InputFileTarget | undefined {
    const prefix = `${this.root.path}/`;
    if (uri.scheme !== this.root.scheme || !uri.path.startsWith(prefix) || !uri.path.endsWith(INPUT_SUFFIX))
      return undefined;
    const [key, file, ...rest] = uri.path.slice(prefix.length).split("/");
    if (!key || !file || rest.length > 0) return undefined;
    return {
      folderUri: Buffer.from(key, "base64url").toString("utf8"),
      functionName: file.slice(0, -INPUT_SUFFIX.length),
    };
  }

  /** Writes the schema and the input (with `$schema`) and opens the input in an editor. */
  async open(target: InputFileTarget, schema: JsonSchema, value: unknown): Promise<vscode.TextEditor> {
    const input = this.fileFor(target);
    const schemaFile = vscode.Uri.joinPath(input, "..", `${target.functionName}.schema.json`);
    await vscode.workspace.fs.writeFile(schemaFile, Buffer.from(JSON.stringify(withSchemaKey(schema), null, 2)));
    const body = isPlainObject(value) ? value : {};
    await vscode.workspace.fs.writeFile(
      input,
      Buffer.from(`${JSON.stringify({ $schema: schemaFile.toString(), ...body }, null, 2)}\n`),
    );
    const document = await vscode.workspace.openTextDocument(input);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const target = this.targetOf(document.uri);
    if (!target) return [];
    return [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
        title: `$(play) Run ${target.functionName} with this input`,
        command: "llmFunction.runInputFile",
        arguments: [document.uri],
      }),
    ];
  }

  dispose(): void {
    this.registration.dispose();
  }
}
