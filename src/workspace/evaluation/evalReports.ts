import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** The folder of a storage where `llmfn eval` writes its reports by default, one sub-folder per evaluation (a UTC stamp). */
export const EVAL_FOLDER = "eval";

/** The newest `report.md` under `<storage>/eval/*` of any of these storage folders; undefined when there is none. */
export async function newestEvalReport(storageFolders: readonly string[]): Promise<string | undefined> {
  let newest: { file: string; mtimeMs: number } | undefined;
  for (const storage of storageFolders) {
    const folder = join(storage, EVAL_FOLDER);
    let runs: string[];
    try {
      runs = await readdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR")
        continue;
      throw error;
    }
    for (const run of runs) {
      const file = join(folder, run, "report.md");
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && (!newest || info.mtimeMs > newest.mtimeMs)) newest = { file, mtimeMs: info.mtimeMs };
    }
  }
  return newest?.file;
}
