import { fuzzCliInput } from "../test/fuzz/cliInputFuzz";
import { fuzzCorruptStorage } from "../test/fuzz/corruptStorageFuzz";
import { FUZZ_SEED, FUZZ_SIZES } from "../test/fuzz/fuzzSettings";
import type { FuzzTally } from "../test/fuzz/fuzzTally";
import { fuzzHostileTools } from "../test/fuzz/hostileToolFuzz";
import { fuzzModelAnswers } from "../test/fuzz/modelAnswerFuzz";

/** The fuzz campaigns of the test suite, same seeds and sizes: what was tried and what went wrong. */
export async function fuzzBenchmarks(): Promise<Record<string, number>> {
  const started = performance.now();
  const answers = await fuzzModelAnswers({ seed: FUZZ_SEED, ...FUZZ_SIZES.modelAnswers });
  const tools = await fuzzHostileTools({ seed: FUZZ_SEED, ...FUZZ_SIZES.hostileTools });
  const storage = await fuzzCorruptStorage({ seed: FUZZ_SEED, ...FUZZ_SIZES.corruptStorage });
  const cli = await fuzzCliInput({ seed: FUZZ_SEED, ...FUZZ_SIZES.cliInput });
  const all: FuzzTally[] = [answers, tools, storage, cli];
  const total = (key: "crashes" | "hangs" | "pollution" | "filesLost") =>
    all.reduce((sum, tally) => sum + tally[key], 0);
  for (const problem of all.flatMap((tally) => tally.problems)) process.stderr.write(`fuzz: ${problem}\n`);
  return {
    fuzz_answers_tried: answers.tried,
    fuzz_hostile_tool_calls: tools.tried,
    fuzz_corrupt_entries_tried: storage.tried,
    fuzz_cli_inputs_tried: cli.tried,
    fuzz_crashes: total("crashes"),
    fuzz_hangs: total("hangs"),
    fuzz_pollution: total("pollution"),
    fuzz_files_lost: total("filesLost"),
    fuzz_seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
