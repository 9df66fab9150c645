/** The longest delay setTimeout honours; above it Node fires the timer at once (after a warning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/**
 * setTimeout for delays of any length: waits in chunks of at most MAX_TIMER_MS, so a
 * 30-day `--duration` ends after 30 days, not at once.
 */
export function setLongTimeout(fn: () => void, ms: number, chunkMs = MAX_TIMER_MS): LongTimer {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`a timer of ${ms} ms is not a finite, non-negative delay`);
  let timer: NodeJS.Timeout | undefined;
  const end = Date.now() + ms;
  let left = ms;
  const step = () => {
    if (left <= chunkMs) {
      timer = setTimeout(fn, left);
      return;
    }
    timer = setTimeout(() => {
      left = Math.max(0, end - Date.now());
      step();
    }, chunkMs);
  };
  step();
  return { clear: () => clearTimeout(timer) };
}
