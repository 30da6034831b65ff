import type { Readable } from "node:stream";

export interface LineForwarderLimits {
  /** Longer lines are cut here, so a line with no newline cannot grow without end. */
  maxLineChars: number;
  /** Lines forwarded per window; the rest are counted and reported as dropped. */
  maxLinesPerWindow: number;
  windowMs: number;
}

export const DEFAULT_LINE_LIMITS: LineForwarderLimits = { maxLineChars: 2000, maxLinesPerWindow: 200, windowMs: 1000 };

/**
 * Forwards a child's output stream line by line with bounded memory and volume: a tool
 * flooding stdout is read (so it never blocks) but mostly dropped, with a count.
 */
export function forwardLines(
  stream: Readable,
  emit: (line: string) => void,
  limits: LineForwarderLimits = DEFAULT_LINE_LIMITS,
): void {
  let partial = "";
  let windowStart = Date.now();
  let sent = 0;
  let dropped = 0;
  let summary: NodeJS.Timeout | undefined;

  const reportDropped = (): void => {
    clearTimeout(summary);
    summary = undefined;
    if (dropped > 0) emit(`(${dropped} lines of tool output dropped)`);
    dropped = 0;
  };

  const push = (line: string): void => {
    const now = Date.now();
    if (now - windowStart >= limits.windowMs) {
      reportDropped();
      windowStart = now;
      sent = 0;
    }
    if (sent < limits.maxLinesPerWindow) {
      sent += 1;
      emit(line.length > limits.maxLineChars ? `${line.slice(0, limits.maxLineChars)}… (cut)` : line);
    } else {
      dropped += 1;
      // Say how much was dropped even if the tool falls silent afterwards.
      summary ??= setTimeout(reportDropped, limits.windowMs - (now - windowStart)).unref();
    }
  };

  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) push(line.replace(/\r$/, ""));
    if (partial.length > limits.maxLineChars) {
      push(partial);
      partial = "";
    }
  });
  stream.on("end", () => {
    if (partial) push(partial);
    reportDropped();
  });
}
