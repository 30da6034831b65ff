import { diffLines } from "../../engine/review/diffText";
import { diffWorkflows } from "../../engine/review/workflowDiff";
import type { CommandContext } from "../cliCommands";
import { EXIT_OK, EXIT_USAGE } from "../exitCodes";
import { pickPair } from "./pickWorkflows";

/** `llmfn diff <function> [a] [b]`: steps added, removed or rewired, tools changed, test outcomes. */
export async function diffCommand(context: CommandContext, name: string): Promise<number> {
  const { session, args, io } = context;
  const stored = await session.workflows(name);
  const pair = pickPair(stored, args.versions ?? [], process.cwd());
  if (!pair.ok) {
    io.err(pair.message);
    return EXIT_USAGE;
  }
  const [a, b] = pair.value;
  const diff = diffWorkflows(a.workflow, b.workflow);
  if (args.json) {
    io.out(JSON.stringify({ function: name, a: a.file, b: b.file, ...diff }, null, 2));
    return EXIT_OK;
  }
  for (const line of diffLines(diff)) io.out(line);
  return EXIT_OK;
}
