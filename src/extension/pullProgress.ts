import type { PullProgress } from "../engine/llm/ollamaModels";

/** What the notification has shown of one pull. */
export interface PullProgressState {
  /** The layer the bar follows: the first one with a size, the model's weights, by far the largest. */
  barLayer?: string;
  /** How far the bar is, in percent. */
  percent: number;
}

/**
 * The notification's next message and increment (VS Code adds increments up to 100) for a
 * progress message of `/api/pull`. The bar follows the first sized layer and only moves
 * forward; the smaller layers after it show in the message alone.
 */
export function nextPullStep(
  previous: PullProgressState,
  progress: PullProgress,
): { state: PullProgressState; message: string; increment: number } {
  const { completedBytes, totalBytes } = progress;
  if (completedBytes === undefined || totalBytes === undefined || totalBytes <= 0)
    return { state: previous, message: progress.status, increment: 0 };
  const percent = Math.min(100, Math.floor((completedBytes / totalBytes) * 100));
  const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  const message = `${progress.status}: ${megabytes(completedBytes)} of ${megabytes(totalBytes)} (${percent}%)`;
  const barLayer = previous.barLayer ?? progress.status;
  if (barLayer !== progress.status || percent <= previous.percent)
    return { state: { ...previous, barLayer }, message, increment: 0 };
  return { state: { barLayer, percent }, message, increment: percent - previous.percent };
}
