import type * as vscode from "vscode";
import { isPlainObject } from "../../engine/json/isPlainObject";

const KEY = "llmFunction.lastInputs";
/** Functions remembered per workspace; the least recently used are forgotten first. */
const MAX_ENTRIES = 100;
/** Inputs larger than this (as JSON) are not kept in workspace state. */
const MAX_JSON_CHARS = 32_000;

/** The last input given to each function, kept in workspace state across reloads. */
export class LastInputs {
  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, unknown> {
    const stored = this.state.get<unknown>(KEY);
    return isPlainObject(stored) ? stored : {};
  }

  get(folderUri: string, functionName: string): unknown {
    return this.all()[`${folderUri}#${functionName}`];
  }

  async remember(folderUri: string, functionName: string, input: unknown): Promise<void> {
    if ((JSON.stringify(input)?.length ?? Number.POSITIVE_INFINITY) > MAX_JSON_CHARS) return;
    const key = `${folderUri}#${functionName}`;
    const entries = Object.entries(this.all()).filter(([existing]) => existing !== key);
    entries.push([key, input]);
    await this.state.update(KEY, Object.fromEntries(entries.slice(-MAX_ENTRIES)));
  }
}
