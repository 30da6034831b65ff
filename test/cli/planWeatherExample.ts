// Regenerates the committed workflows of examples/weather by planning each function with the
// real CLI against the scripted Ollama server. Run after `npm run build`:
//   node --import tsx test/cli/planWeatherExample.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { startScriptedOllama } from "../support/scriptedOllamaServer";
import { WEATHER_PLANS, weatherPlanner } from "./weatherPlans";

const root = join(__dirname, "..", "..");
const workspace = join(root, "examples", "weather");

async function main(): Promise<void> {
  const server = await startScriptedOllama({ respond: weatherPlanner() });
  try {
    await rm(join(workspace, ".llm-function", "workflows"), { recursive: true, force: true });
    for (const name of Object.keys(WEATHER_PLANS)) {
      // Asynchronously: the scripted server answers from this very process.
      const { stdout } = await promisify(execFile)(process.execPath, [
        join(root, "dist", "cli.js"),
        "plan",
        name,
        "--workspace",
        workspace,
        "--host",
        server.url,
        "--model",
        "qwen3:8b",
      ]);
      process.stdout.write(stdout);
    }
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
