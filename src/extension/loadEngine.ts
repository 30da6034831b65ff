import { join } from "node:path";

export type EngineModule = typeof import("./engineModule");

let engine: EngineModule | undefined;

/** Whether dist/engine.js is loaded already (loading it is the first session's longest wait). */
export function engineLoaded(): boolean {
  return engine !== undefined;
}

/** dist/engine.js, loaded on first use (a session, an endpoint check, a webview message). */
export function loadEngine(): EngineModule {
  engine ??= require(join(__dirname, "engine.js")) as EngineModule;
  return engine;
}
