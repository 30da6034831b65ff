// Seeds and sizes of the fuzz campaigns, shared by `npm run test:unit` and `npm run bench` so
// both report on the same inputs. Sized for the whole run to take well under a minute on 2 cores.
export const FUZZ_SEED = 20261126;

export const FUZZ_SIZES = {
  modelAnswers: { plannings: 40 },
  hostileTools: { hostBatches: 12, inProcessBatches: 40 },
  corruptStorage: { folders: 60 },
  cliInput: { parsed: 300, processes: 6 },
} as const;
