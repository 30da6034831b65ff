// The entry of dist/engine.js: what the extension needs only once a folder is used. Loading it
// lazily keeps zod, the engine and the workspace layer out of activation.
export { WorkspaceSession } from "../workspace/workspaceSession";
export { createLlmClient } from "../engine/llm/createLlmClient";
export { pullOllamaModel } from "../engine/llm/ollamaModels";
export { parseWebviewMessage } from "./inspector/inspectorMessages";
export { parseSetting, parseSettings, describeInvalidSetting } from "../workspace/settings/settingsSchema";
