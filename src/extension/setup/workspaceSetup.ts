import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { isPlainObject } from "../../engine/json/isPlainObject";
import { parseJsonc } from "../../workspace/jsonc";
import { DEFAULT_STORAGE_FOLDER } from "../../workspace/settings/settings";
import { EXAMPLE_DECLARATION } from "./exampleDeclaration";

/** Where the type declarations to copy come from (inside the installed extension). */
export interface TypeSources {
  /** media/types/llm-function.d.ts */
  sdkTypes: string;
  /** A zod package folder holding its `.d.ts` files, if the extension ships one. */
  zodPackage: string | undefined;
}

export interface SetupResult {
  /** Files created or changed, absolute. */
  written: string[];
  /** Why something was left alone, for the user. */
  notes: string[];
  /** The example declaration file, when one was created. */
  example?: string;
}

/** Where the declarations go, relative to the folder: in the default storage folder whatever `llmFunction.storage.path` says, so tsconfig paths never move. */
export const TYPES_DIR = path.join(DEFAULT_STORAGE_FOLDER, "types");

async function copyDeclarations(from: string, to: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    // zod's sources and its v3 API are not needed for `import { z } from "zod"`.
    if (entry.isDirectory() && entry.name !== "src" && entry.name !== "v3" && entry.name !== "node_modules") {
      count += await copyDeclarations(source, path.join(to, entry.name));
    } else if (entry.isFile() && entry.name.endsWith(".d.ts")) {
      await mkdir(to, { recursive: true });
      await copyFile(source, path.join(to, entry.name));
      count++;
    }
  }
  return count;
}

function posix(relative: string): string {
  const slashed = relative.split(path.sep).join("/");
  return slashed.startsWith("./") || slashed.startsWith("../") ? slashed : `./${slashed}`;
}

/** The `paths` entries mapping the module names to the copied declarations, relative to `base`. */
export function pathMappings(folder: string, base: string, modules: readonly string[]): Record<string, string[]> {
  const mappings: Record<string, string[]> = {};
  for (const name of modules) {
    mappings[name] = [posix(path.relative(base, path.join(folder, TYPES_DIR, name, "index.d.ts")))];
  }
  return mappings;
}

function newTsconfig(paths: Record<string, string[]>): string {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022"],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowJs: true,
      paths,
    },
    exclude: ["node_modules", "dist", "out", "build"],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Makes `import { tool, llmFunction } from "llm-function"` and `import { z } from "zod"`
 * type-check in the editor without network access: copies the declarations into
 * `<folder>/<TYPES_DIR>` and maps the module names there in tsconfig.json
 * (created, or merged into an existing one). Adds an example declaration file when asked.
 */
export async function setUpWorkspaceFolder(
  folder: string,
  sources: TypeSources,
  options: { addExample: boolean },
): Promise<SetupResult> {
  const result: SetupResult = { written: [], notes: [] };
  const typesRoot = path.join(folder, TYPES_DIR);
  const modules = ["llm-function"];

  const sdkTarget = path.join(typesRoot, "llm-function", "index.d.ts");
  await mkdir(path.dirname(sdkTarget), { recursive: true });
  await copyFile(sources.sdkTypes, sdkTarget);
  result.written.push(sdkTarget);

  if (existsSync(path.join(folder, "node_modules", "zod", "package.json"))) {
    result.notes.push("zod is installed in this folder: its own types are used.");
  } else if (!sources.zodPackage) {
    result.notes.push(
      'This build of the extension ships no zod types: run `npm install zod` in the folder for `import { z } from "zod"` to type-check.',
    );
  } else {
    const copied = await copyDeclarations(sources.zodPackage, path.join(typesRoot, "zod"));
    if (copied === 0) throw new Error(`No zod type declarations found in ${sources.zodPackage}.`);
    result.written.push(path.join(typesRoot, "zod"));
    modules.push("zod");
  }

  const tsconfigPath = path.join(folder, "tsconfig.json");
  const jsconfigPath = path.join(folder, "jsconfig.json");
  const existingPath = existsSync(tsconfigPath) ? tsconfigPath : existsSync(jsconfigPath) ? jsconfigPath : undefined;
  if (!existingPath) {
    await writeFile(tsconfigPath, newTsconfig(pathMappings(folder, folder, modules)));
    result.written.push(tsconfigPath);
  } else {
    const read = parseJsonc(await readFile(existingPath, "utf8"));
    const parsed = read.ok ? read.value : undefined;
    if (!isPlainObject(parsed)) {
      result.notes.push(
        `${path.basename(existingPath)} could not be parsed; add these "paths" to its compilerOptions yourself: ${JSON.stringify(pathMappings(folder, folder, modules))}`,
      );
    } else {
      const compilerOptions = isPlainObject(parsed.compilerOptions) ? parsed.compilerOptions : {};
      const base = typeof compilerOptions.baseUrl === "string" ? path.resolve(folder, compilerOptions.baseUrl) : folder;
      const paths = isPlainObject(compilerOptions.paths) ? compilerOptions.paths : {};
      parsed.compilerOptions = { ...compilerOptions, paths: { ...paths, ...pathMappings(folder, base, modules) } };
      await writeFile(existingPath, `${JSON.stringify(parsed, null, 2)}\n`);
      result.written.push(existingPath);
      result.notes.push(`Added "paths" for ${modules.join(" and ")} to ${path.basename(existingPath)}.`);
    }
  }

  if (options.addExample) {
    const example = path.join(folder, "example.llm.ts");
    if (!existsSync(example)) {
      await writeFile(example, EXAMPLE_DECLARATION);
      result.written.push(example);
      result.example = example;
    }
  }
  return result;
}
