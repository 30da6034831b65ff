// Loads dist/cliProgram.js with V8's code cache: compiling its 850 kB is about 40 ms of every llmfn
// run, and Node 20 has no module.enableCompileCache. The cache is only an aid: V8 refuses data that
// does not match the source or its flags, and the file is then compiled as usual.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";

export interface CompiledModule<T> {
  exports: T;
  /**
   * Stores the code V8 compiled while the module ran (so call it once the work is done) unless
   * the cache already held it; says why when it could not.
   */
  saveCache(): string | undefined;
}

/** Requires a CommonJS file, compiled from `cacheFolder`'s code cache when that holds it. */
export function requireCompiled<T>(file: string, cacheFolder: string | undefined): CompiledModule<T> {
  const source = readFileSync(file, "utf8");
  const prefix = `${basename(file)}-`;
  const cacheFile = cacheFolder === undefined ? undefined : join(cacheFolder, cacheName(prefix, file));
  const cached = cacheFile === undefined ? undefined : readCache(cacheFile);
  // A bundle may start with a shebang, which is no JavaScript inside the wrapper; a comment keeps its lines.
  const code = Module.wrap(source.startsWith("#!") ? `//${source.slice(2)}` : source);
  const script = new Script(code, { filename: file, ...(cached ? { cachedData: cached } : {}) });
  const module = new Module(file);
  module.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return {
    exports: module.exports as T,
    saveCache: () => {
      if (cacheFolder === undefined || cacheFile === undefined || (cached && !script.cachedDataRejected))
        return undefined;
      return writeCache(cacheFolder, cacheFile, prefix, script.createCachedData());
    },
  };
}

/** Keyed by what V8 does not check itself, cheaply: the runtime, and the file's size and time. */
function cacheName(prefix: string, file: string): string {
  const { size, mtimeMs } = statSync(file);
  return `${prefix}${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`;
}

/** Undefined when there is none; an unreadable one is as good as none (it is written again). */
function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole under a temporary name then renamed, so a reader never sees half; older builds' entries go. */
function writeCache(folder: string, file: string, prefix: string, data: Buffer): string | undefined {
  // Not named with the prefix, so another process's clean-up leaves it alone.
  const temp = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temp, data);
    renameSync(temp, file);
    for (const name of readdirSync(folder))
      if (name.startsWith(prefix) && name !== basename(file)) rmSync(join(folder, name), { force: true });
    return undefined;
  } catch (error) {
    rmSync(temp, { force: true });
    return `Cannot store the compiled code of llmfn in ${folder}: ${(error as Error).message}`;
  }
}
