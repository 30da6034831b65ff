import { basename, resolve } from "node:path";
import type { StoredWorkflow } from "../../engine/runtimeTypes";

export type Picked<T> = { ok: true; value: T } | { ok: false; message: string };

/** One stored workflow by id, id prefix, file name or path; ambiguity and absence are explained. */
export function pickWorkflow(stored: readonly StoredWorkflow[], wanted: string, cwd: string): Picked<StoredWorkflow> {
  const byFile = stored.find((s) => basename(s.file) === wanted || s.file === resolve(cwd, wanted));
  if (byFile) return { ok: true, value: byFile };
  const matches = stored.filter((s) => s.workflow.id.startsWith(wanted));
  if (matches.length === 1 && matches[0]) return { ok: true, value: matches[0] };
  const known = stored.map((s) => s.workflow.id.slice(0, 12)).join(", ") || "none";
  if (matches.length > 1)
    return {
      ok: false,
      message: `"${wanted}" matches ${matches.length} workflows; give more characters of the id. Stored: ${known}.`,
    };
  return { ok: false, message: `No stored workflow "${wanted}" for this function. Stored (newest first): ${known}.` };
}

/** The two workflows `diff` compares: the ones named, else the two newest (older first). */
export function pickPair(
  stored: readonly StoredWorkflow[],
  wanted: readonly string[],
  cwd: string,
): Picked<[StoredWorkflow, StoredWorkflow]> {
  const [first, second] = wanted;
  if (first !== undefined && second !== undefined) {
    const a = pickWorkflow(stored, first, cwd);
    if (!a.ok) return a;
    const b = pickWorkflow(stored, second, cwd);
    return b.ok ? { ok: true, value: [a.value, b.value] } : b;
  }
  if (first !== undefined) {
    const a = pickWorkflow(stored, first, cwd);
    if (!a.ok) return a;
    const newest = stored[0];
    if (!newest) return { ok: false, message: "No stored workflows to compare with." };
    return { ok: true, value: [a.value, newest] };
  }
  const [newest, previous] = stored;
  if (!newest || !previous) {
    return {
      ok: false,
      message: `diff needs two stored workflows; this function has ${stored.length}. Replan it (llmfn plan <function> --force) or name two workflows.`,
    };
  }
  return { ok: true, value: [previous, newest] };
}
