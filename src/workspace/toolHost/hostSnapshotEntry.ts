// dist/toolHostSnapshot.js: what `node --build-snapshot` makes the tool host's startup snapshot from
// (see hostSnapshot.ts). Our zod, the SDK on it and the host's message schemas are evaluated once,
// when the snapshot is built; a host started from it skips that work (most of its start-up).
// argv as for dist/toolHost.js: our zod's URL, then our SDK's; their modules are these.
import Module from "node:module";
import { startupSnapshot } from "node:v8";
import * as sdk from "../../sdk/index";
import * as zod from "../../sdk/zodModule";
import { runToolHost } from "./hostMain";
import { rehearseHost } from "./hostRehearsal";
import { SELF_CHECK } from "./hostSnapshot";
import { protocolSchemas } from "./protocol";

const schemas = protocolSchemas(zod.z);
rehearseHost(schemas, zod, sdk);

/**
 * Code compiled into a snapshot has no `import()` (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so
 * the host gets one compiled after start, by Node's CommonJS loader, as bundles are.
 */
function runtimeImport(): (url: string) => Promise<unknown> {
  const file = process.argv[1] ?? __filename;
  const module = new (
    Module as unknown as new (
      id: string,
    ) => NodeJS.Module & { _compile(code: string, file: string): void }
  )(file);
  module.filename = file;
  module._compile("module.exports = (url) => import(url);", file);
  return module.exports as (url: string) => Promise<unknown>;
}

startupSnapshot.setDeserializeMainFunction(() => {
  const [, , zodUrl, sdkUrl, check] = process.argv;
  if (check === SELF_CHECK) {
    const ok = zod.z.object({ a: zod.z.string() }).safeParse({ a: "x" }).success && typeof sdk.tool === "function";
    process.exit(ok ? 0 : 1);
  }
  if (!zodUrl || !sdkUrl) throw new Error("tool host: started from its snapshot without the runtime modules' URLs");
  runToolHost({
    runtimeUrls: [zodUrl, sdkUrl],
    preloaded: {
      modules: new Map<string, Record<string, unknown>>([
        [zodUrl, zod],
        [sdkUrl, sdk],
      ]),
      schemas,
    },
    importUrl: runtimeImport(),
  });
});
