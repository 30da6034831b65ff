/** What one fuzz campaign saw; every count but `tried` must stay 0. */
export interface FuzzTally {
  /** Inputs tried: model answers, tool calls, corrupt files or command lines. */
  tried: number;
  /** Exceptions or rejections that escaped, and failures reported as INTERNAL (a bug of ours). */
  crashes: number;
  /** Operations that did not end within the watchdog time. */
  hangs: number;
  /** Changes to Object.prototype or Array.prototype seen after an input. */
  pollution: number;
  /** Good workflow files that could no longer be read, or went missing, after an input. */
  filesLost: number;
  /** One line per problem (capped), for the assertion messages. */
  problems: string[];
}

export function emptyTally(): FuzzTally {
  return { tried: 0, crashes: 0, hangs: 0, pollution: 0, filesLost: 0, problems: [] };
}

export function note(tally: FuzzTally, kind: "crashes" | "hangs" | "pollution" | "filesLost", problem: string): void {
  tally[kind] += 1;
  if (tally.problems.length < 20) tally.problems.push(`${kind}: ${problem}`);
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const baseline = PROTOTYPES.map((proto) => Object.getOwnPropertyNames(proto).sort().join(","));

/** True when a prototype gained or lost a property, or `{}` reads an inherited `polluted`. */
export function prototypesPolluted(): boolean {
  if (({} as Record<string, unknown>).polluted !== undefined) return true;
  return PROTOTYPES.some((proto, index) => Object.getOwnPropertyNames(proto).sort().join(",") !== baseline[index]);
}

/** Settles with the operation, or with "hang" when it takes longer than the watchdog. */
export async function withWatchdog<T>(operation: Promise<T>, ms: number): Promise<{ value: T } | "hang"> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), ms);
  });
  try {
    return await Promise.race([operation.then((value) => ({ value })), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "an undescribable value";
  }
}
