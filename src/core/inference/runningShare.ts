/** The clock giving a router's share of each interval on the CPU (msec per second). */
export const RUNNING_CLOCK = 'task-clock';
/** Below this share the per-running-second rates are not taken: the divisor is near zero. */
export const MIN_RUNNING_SHARE = 0.01;

/** The router's share of the interval on the CPU (task-clock in msec per second / 1000), or NaN when not counted or too small to divide by. */
export function runningShare(clockRate: number | undefined): number {
  const share = clockRate === undefined ? NaN : clockRate / 1000;
  return share >= MIN_RUNNING_SHARE ? share : NaN;
}
