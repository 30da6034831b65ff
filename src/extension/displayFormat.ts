// How durations and times read in the views, toasts and the inspector (no vscode import: the webview bundles it too).

/** `0.4 ms`, `12 ms`, `1.2 s`, `2 min 5 s`: never the float a timer returns. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** An ISO time in the reader's locale and time zone; the ISO text itself when it does not parse. */
export function formatTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }).format(date);
}

/** A compact local time for narrow places (tree items): `Mar 4, 11:22 AM`, with the year only when it is not this one. */
export function formatShortTime(iso: string, locale?: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const year = date.getFullYear() === now.getFullYear() ? {} : { year: "numeric" as const };
  return new Intl.DateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    ...year,
    hour: "numeric",
    minute: "2-digit",
  }).format(date);
}

/** Toasts and welcome views show no Markdown: a `code span` reads as a quoted "code span". */
export function plainText(text: string): string {
  return text.replace(/`([^`\n]+)`/g, '"$1"');
}

/** What went wrong first, the error's kind and stage after it, for searching the log and reporting. */
export function describeError(error: { kind: string; stage: string; message: string }): string {
  return `${plainText(error.message)} (${error.kind}, ${error.stage} stage)`;
}
