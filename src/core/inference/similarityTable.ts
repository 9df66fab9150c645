import { setOwn } from '../perf/eventSchema.ts';

/**
 * The cosine similarity of one interval to every scenario, by position: values[i] belongs
 * to labels[i]. Kept as numbers side by side rather than a record keyed by label: the
 * engine makes one per interval, and most readers (the JSON writer, the charts) go by
 * position anyway.
 */
export interface SimilarityTable {
  readonly labels: readonly string[];
  readonly values: Float64Array;
}

export const NO_SIMILARITIES: SimilarityTable = { labels: [], values: new Float64Array(0) };

/** The table as a record keyed by label (a later duplicate label wins, as assignment does). */
export function similarityRecord(t: SimilarityTable): Record<string, number> {
  const o: Record<string, number> = {};
  // Assigning `__proto__` would set the prototype and lose the label: setOwn defines it as a property.
  for (let i = 0; i < t.labels.length; i++) setOwn(o, t.labels[i]!, t.values[i]!);
  return o;
}

const plainLists = new WeakMap<readonly string[], boolean>();

/**
 * Whether the record of a table with these labels lists them in this order, once each: no
 * label repeats and none is an array index (objects list those first, in numeric order).
 */
export function labelsKeepOrder(labels: readonly string[]): boolean {
  let plain = plainLists.get(labels);
  if (plain === undefined) {
    plain = new Set(labels).size === labels.length && !labels.some(isArrayIndex);
    plainLists.set(labels, plain);
  }
  return plain;
}

function isArrayIndex(key: string): boolean {
  const i = Number(key) >>> 0;
  return String(i) === key && i !== 2 ** 32 - 1;
}
