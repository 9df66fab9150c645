import type { RouterState, LossRegime } from '../../src/protocol.ts';
import { HISTORY_SERIES, type ChartSeries } from '../../src/core/ui/chartGroups.ts';

// How the history stores what is not a plain number: series columns, state and loss codes, interned labels.

export const STATE_NAMES: readonly RouterState[] = ['unknown', 'idle', 'processing'];
export const LOSS_NAMES: readonly LossRegime[] = ['unknown', 'clean', 'lossy'];
export const STATE_CODE: Record<RouterState, number> = { unknown: 0, idle: 1, processing: 2 };
export const LOSS_CODE: Record<LossRegime, number> = { unknown: 0, clean: 1, lossy: 2 };

/** A series' identity across groups: an event, a derived ratio and a packet field may not clash. */
export function seriesId(s: Pick<ChartSeries, 'kind' | 'key'>): string {
  return `${s.kind}:${s.key}`;
}

/** Column of each kept series (an event rate, a derived ratio, a packet field). */
export const SERIES_INDEX: ReadonlyMap<string, number> = new Map(HISTORY_SERIES.map((s, i) => [seriesId(s), i]));
export const SERIES_COUNT = HISTORY_SERIES.length;

/** Interned strings (scenario labels): the columns hold indices. */
export class Labels {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string | null): number {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      // Labels come from the model; the bound only guards a stream of odd labels.
      if (this.names.length >= 65_536) return -1;
      i = this.names.length;
      this.names.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  name(i: number): string | null {
    return i < 0 ? null : (this.names[i] ?? null);
  }
}
