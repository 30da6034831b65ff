import { join } from "node:path";

export type EngineModule = typeof import("./engineModule");

let engine: EngineModule | undefined;

/** dist/engine.js, loaded on first use (a session, an endpoint check, a webview message). */
export function loadEngine(): EngineModule {
  engine ??= require(join(__dirname, "engine.js")) as EngineModule;
  return engine;
}
