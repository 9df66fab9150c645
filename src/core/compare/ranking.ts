/** The features a performance engineer reads first; they weigh double when ranking differences. */
export const HEADLINE: readonly string[] = ['instructions', 'ipc', 'branch-misses', 'cycles', 'branch-miss-ratio', 'cache-misses'];

/** How much a change matters: the size of the log ratio of the means, doubled for headline features. */
export function importance(f: { ratio: number; feature: string }): number {
  const mag = Number.isFinite(f.ratio) && f.ratio > 0 ? Math.abs(Math.log(f.ratio)) : 10;
  return mag * (HEADLINE.includes(f.feature) ? 2 : 1);
}
