/** Ratios that describe how the router runs, independent of how long the interval was. */
export interface DerivedMetric {
  name: string;
  numerator: string;
  denominator: string;
  description: string;
}

export const DERIVED_METRICS: readonly DerivedMetric[] = [
  { name: 'ipc', numerator: 'instructions', denominator: 'cycles', description: 'instructions per cycle' },
  { name: 'branch-miss-ratio', numerator: 'branch-misses', denominator: 'branches', description: 'branch misses per branch' },
  { name: 'cache-miss-ratio', numerator: 'cache-misses', denominator: 'cache-references', description: 'cache misses per cache reference' },
  { name: 'L1-dcache-miss-ratio', numerator: 'L1-dcache-load-misses', denominator: 'L1-dcache-loads', description: 'L1-d load misses per load' },
  { name: 'dTLB-load-miss-ratio', numerator: 'dTLB-load-misses', denominator: 'dTLB-loads', description: 'dTLB load misses per load' },
  { name: 'dTLB-store-miss-ratio', numerator: 'dTLB-store-misses', denominator: 'dTLB-stores', description: 'dTLB store misses per store' },
  { name: 'iTLB-miss-ratio', numerator: 'iTLB-load-misses', denominator: 'iTLB-loads', description: 'iTLB load misses per load' },
  { name: 'LLC-load-miss-ratio', numerator: 'LLC-load-misses', denominator: 'LLC-loads', description: 'LLC load misses per load' },
];
