/** The features a performance engineer reads first; they weigh double when ranking differences. */
/** Cost per packet leads when both sides carry the router's own counters: at equal offered load it is the fairest A/B figure. */
export const HEADLINE: readonly string[] = ['cycles-per-packet', 'cpu-ns-per-packet', 'instructions', 'ipc', 'branch-misses', 'cycles', 'branch-miss-ratio', 'cache-misses'];

/** How much a change matters: the size of the log ratio of the means, doubled for headline features. */
export function importance(f: { ratio: number; feature: string }): number {
  const mag = Number.isFinite(f.ratio) && f.ratio > 0 ? Math.abs(Math.log(f.ratio)) : 10;
  return mag * (HEADLINE.includes(f.feature) ? 2 : 1);
}
