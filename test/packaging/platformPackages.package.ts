// Opens each per-platform .vsix that `npm run package` built (out/vsix/) and checks it carries
// exactly one esbuild binary, of its own platform's format and architecture. Run by `npm run test:package`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import yauzl from "yauzl";
import { executableKind, type ExecutableKind } from "./executableFormat";

const ROOT = join(__dirname, "..", "..");
const EXPECTED: Record<string, ExecutableKind> = {
  "linux-x64": { format: "ELF", arch: "x64" },
  "linux-arm64": { format: "ELF", arch: "arm64" },
  "darwin-x64": { format: "Mach-O", arch: "x64" },
  "darwin-arm64": { format: "Mach-O", arch: "arm64" },
  "win32-x64": { format: "PE", arch: "x64" },
  "win32-arm64": { format: "PE", arch: "arm64" },
};

/** Every entry of a zip file, with the bytes of those `wanted` picks. */
function readZip(
  path: string,
  wanted: (name: string) => boolean,
): Promise<{ names: string[]; contents: Map<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error(`cannot open ${path}`));
      const names: string[] = [];
      const contents = new Map<string, Buffer>();
      zip.on("error", reject);
      zip.on("end", () => resolve({ names, contents }));
      zip.on("entry", (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (!wanted(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            contents.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const { name, version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
};

for (const [target, expected] of Object.entries(EXPECTED)) {
  test(`the ${target} package carries one esbuild binary, ${expected.format} for ${expected.arch}`, async () => {
    const vsix = join(ROOT, "out", "vsix", `${name}-${target}-${version}.vsix`);
    const isBinary = (entry: string) =>
      /^extension\/node_modules\/@esbuild\/[^/]+\/(bin\/esbuild|esbuild\.exe)$/.test(entry);
    const { names, contents } = await readZip(vsix, (entry) => isBinary(entry) || entry === "extension.vsixmanifest");
    const binaries = names.filter(isBinary);
    assert.deepEqual(binaries, [
      `extension/node_modules/@esbuild/${target}/${target.startsWith("win32") ? "esbuild.exe" : "bin/esbuild"}`,
    ]);
    assert.deepEqual(executableKind(contents.get(binaries[0] ?? "") ?? Buffer.alloc(0)), expected);
    assert.match(
      contents.get("extension.vsixmanifest")?.toString("utf8") ?? "",
      new RegExp(`TargetPlatform="${target}"`),
      "the manifest names its platform",
    );
    for (const file of [
      "extension/package.json",
      "extension/dist/extension.js",
      "extension/dist/engine.js",
      "extension/dist/webview/inspector.js",
      "extension/node_modules/esbuild/lib/main.js",
    ]) {
      assert.ok(names.includes(file), `${file} is packaged`);
    }
  });
}
