import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { fuzzCliInput } from "./cliInputFuzz";
import { fuzzCorruptStorage } from "./corruptStorageFuzz";
import { FUZZ_SEED, FUZZ_SIZES } from "./fuzzSettings";
import type { FuzzTally } from "./fuzzTally";
import { fuzzHostileTools } from "./hostileToolFuzz";
import { fuzzModelAnswers } from "./modelAnswerFuzz";
import { requireBuilt } from "../support/built";

/** Nothing crashed, hung, polluted a prototype or lost a file, and enough was tried to mean something. */
function assertClean(tally: FuzzTally, atLeast: number): void {
  assert.deepEqual(
    { crashes: tally.crashes, hangs: tally.hangs, pollution: tally.pollution, filesLost: tally.filesLost },
    { crashes: 0, hangs: 0, pollution: 0, filesLost: 0 },
    tally.problems.join("\n"),
  );
  assert.ok(tally.tried >= atLeast, `only ${tally.tried} inputs tried`);
}

before(requireBuilt);

describe("fuzz (fast-check, fixed seeds)", () => {
  test("random and hostile model answers and HTTP faults: every planning ends with a workflow or a planning error", async () => {
    assertClean(
      await fuzzModelAnswers({ seed: FUZZ_SEED, ...FUZZ_SIZES.modelAnswers }),
      FUZZ_SIZES.modelAnswers.plannings * 2,
    );
  });

  test("hostile tools, in the tool host and in-process: every call ends as a result or a tool error, and the next one works", async () => {
    const { hostBatches, inProcessBatches } = FUZZ_SIZES.hostileTools;
    assertClean(
      await fuzzHostileTools({ seed: FUZZ_SEED, ...FUZZ_SIZES.hostileTools }),
      hostBatches + inProcessBatches,
    );
  });

  test("corrupt storage: bad entries are skipped and the good workflow still runs", async () => {
    assertClean(
      await fuzzCorruptStorage({ seed: FUZZ_SEED, ...FUZZ_SIZES.corruptStorage }),
      FUZZ_SIZES.corruptStorage.folders,
    );
  });

  test("hostile command lines: exit 0, 1 or 2 with a message, no stack trace, JSON alone on --json stdout", async () => {
    const { parsed, processes } = FUZZ_SIZES.cliInput;
    assertClean(await fuzzCliInput({ seed: FUZZ_SEED, ...FUZZ_SIZES.cliInput }), parsed + processes);
  });
});
