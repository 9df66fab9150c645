import type { SampleStats } from './sampleStats.ts';

/** One feature of an A/B comparison: both sides' statistics, the test and whether the verdict may name it. */
export interface FeatureComparison {
  feature: string;
  kind: 'rate' | 'derived';
  /** `/s` for event rates, `ms/s` for time events, '' for derived ratios. */
  unit: string;
  a: SampleStats;
  b: SampleStats;
  /** mean B − mean A. */
  difference: number;
  /** (mean B − mean A) / |mean A|. */
  relativeDifference: number;
  /** mean B / mean A. */
  ratio: number;
  cohensD: number;
  hedgesG: number;
  t: number;
  df: number;
  p: number;
  pAdjusted: number;
  /** Adjusted p below alpha. */
  significant: boolean;
  /** |relative difference| at least the minimum worth reporting. */
  material: boolean;
  /** Both: what the verdict may name. */
  different: boolean;
}
