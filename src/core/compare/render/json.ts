import type { ComparisonResult } from '../compareRuns.ts';

/**
 * The comparison with every number, as JSON. JSON has no infinities or NaN:
 * those become null (a ratio against a zero mean, a test on constant values).
 */
export function renderJson(r: ComparisonResult): string {
  return JSON.stringify({ format: 'vnf-lens-compare/1', ...r }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
