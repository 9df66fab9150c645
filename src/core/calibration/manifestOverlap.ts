import type { ManifestEntry } from './manifest.ts';

export interface LabelRange {
  /** Resolved path of the recording (without `#selector`). */
  path: string;
  select?: string;
  from?: number;
  to?: number;
}

/**
 * Rows of a manifest that label some of the same intervals as `r` (same file and run or
 * stream, overlapping time ranges; an empty end is open). Appending `r` again would count
 * those intervals twice in calibration, or give them two different labels.
 */
export function overlappingRows(entries: readonly ManifestEntry[], r: LabelRange): { entry: ManifestEntry; sameRange: boolean }[] {
  const from = r.from ?? -Infinity;
  const to = r.to ?? Infinity;
  const out: { entry: ManifestEntry; sameRange: boolean }[] = [];
  for (const e of entries) {
    if (e.path !== r.path || e.select !== r.select) continue;
    const ef = e.from ?? -Infinity;
    const et = e.to ?? Infinity;
    if (ef > to || et < from) continue;
    out.push({ entry: e, sameRange: ef === from && et === to });
  }
  return out;
}
