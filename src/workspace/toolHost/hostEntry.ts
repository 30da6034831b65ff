// dist/toolHost.js: the tool host started as a plain script. argv: the runtime modules' URLs (zod first, then the SDK).
import { runToolHost } from "./hostMain";

runToolHost({ runtimeUrls: process.argv.slice(2) });
