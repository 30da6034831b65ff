// `npm run package`: one .vsix per platform, each carrying only its own platform's esbuild binary
// (discovery bundles declaration files with esbuild at run time). The @esbuild/<platform> packages
// for other platforms come from the npm registry through `npm pack`, at the exact esbuild version.
// Output: out/vsix/llm-function-<target>-<version>.vsix
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createVSIX, listFiles } from "@vscode/vsce";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const TARGETS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64", "win32-arm64"];
const OUT = join(ROOT, "out", "vsix");
const CACHE = join(ROOT, "out", "esbuild-platforms");
const STAGE = join(ROOT, "out", "vsix-stage");
/** What vsce's dependency listing needs to find in a stage (their code is bundled; .vscodeignore keeps it out). */
const STAGED_MODULES = ["esbuild", "zod", "ollama", "whatwg-fetch", "picomatch"];

const readJson = async (path) => JSON.parse(await readFile(path, "utf8"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** node_modules/@esbuild/<target> at `version`, unpacked from the registry's tarball (cached in out/). */
async function platformPackage(target, version) {
  const unpacked = join(CACHE, `${target}-${version}`, "package");
  if (existsSync(join(unpacked, "package.json"))) return unpacked;
  const directory = dirname(unpacked);
  await mkdir(directory, { recursive: true });
  const output = execFileSync(
    npm,
    ["pack", `@esbuild/${target}@${version}`, "--json", "--pack-destination", directory],
    { cwd: ROOT, encoding: "utf8" },
  );
  const [{ filename }] = JSON.parse(output);
  execFileSync("tar", ["-xzf", join(directory, filename), "-C", directory]);
  return unpacked;
}

async function stage(target, version, files) {
  const folder = join(STAGE, target);
  await rm(folder, { recursive: true, force: true });
  for (const file of files) {
    if (file.startsWith("node_modules/")) continue;
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await cp(join(ROOT, file), join(folder, file));
  }
  await cp(join(ROOT, ".vscodeignore"), join(folder, ".vscodeignore"));
  for (const name of STAGED_MODULES)
    await cp(join(ROOT, "node_modules", name), join(folder, "node_modules", name), { recursive: true });
  await cp(await platformPackage(target, version), join(folder, "node_modules", "@esbuild", target), {
    recursive: true,
  });
  return folder;
}

async function main() {
  execFileSync(process.execPath, ["esbuild.mjs", "--production"], { cwd: ROOT, stdio: "inherit" });
  const { version: esbuildVersion } = await readJson(join(ROOT, "node_modules", "esbuild", "package.json"));
  const { name, version } = await readJson(join(ROOT, "package.json"));
  const files = await listFiles({ cwd: ROOT });
  await mkdir(OUT, { recursive: true });
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  for (const target of wanted.length > 0 ? wanted : TARGETS) {
    if (!TARGETS.includes(target)) throw new Error(`Unknown target ${target}; known: ${TARGETS.join(", ")}`);
    const folder = await stage(target, esbuildVersion, files);
    const packagePath = join(OUT, `${name}-${target}-${version}.vsix`);
    await createVSIX({ cwd: folder, target, packagePath, allowMissingRepository: true, skipLicense: false });
    console.log(`${target}: ${packagePath}`);
  }
  await rm(STAGE, { recursive: true, force: true });
}

await main();
