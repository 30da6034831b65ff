import { isPlainObject } from "../../engine/json/isPlainObject";

/**
 * What a command was asked to act on. Commands are invoked three ways: from the palette (no
 * arguments), from a tree item menu (the tree node), and from CodeLens, the inspector or tests
 * as `(folderUri?, functionName?, inputOrFile?)`.
 */
export interface CommandTarget {
  folderUri?: string;
  functionName?: string;
  /** A workflow file (tree workflow items, delete/inspect with a file). */
  file?: string;
  /** Function input given by the caller: skips the input editor. */
  input?: unknown;
  hasInput: boolean;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads tree nodes by shape (see views/viewModel.ts TreeNode) so this stays free of VS Code. */
export function commandTarget(args: readonly unknown[], third: "input" | "file" = "input"): CommandTarget {
  const [first, second, rest] = args;
  if (isPlainObject(first) && typeof first.kind === "string" && typeof first.folderUri === "string") {
    const fn = isPlainObject(first.fn) ? stringOrUndefined(first.fn.name) : undefined;
    const stored = isPlainObject(first.stored) ? stringOrUndefined(first.stored.file) : undefined;
    const functionName = fn ?? stringOrUndefined(first.functionName);
    return {
      folderUri: first.folderUri,
      ...(functionName ? { functionName } : {}),
      ...(stored ? { file: stored } : {}),
      hasInput: false,
    };
  }
  const folderUri = stringOrUndefined(first);
  const functionName = stringOrUndefined(second);
  const target: CommandTarget = {
    ...(folderUri ? { folderUri } : {}),
    ...(functionName ? { functionName } : {}),
    hasInput: false,
  };
  if (args.length >= 3) {
    if (third === "file") {
      const file = stringOrUndefined(rest);
      if (file) target.file = file;
    } else {
      target.input = rest;
      target.hasInput = true;
    }
  }
  return target;
}
