/**
 * Helpers for nearest-row searches over capped squared scaled differences. A row is
 * dropped early once a partial sum passes the best so far; summing the events that
 * differ most first makes that happen after a few events instead of most of them.
 * The early sum runs in another order than the exact one, so it only drops a row
 * clearly past the bound (PRUNE_SLACK covers rounding); rows it keeps are summed
 * again in event order, so the answers do not depend on the order used to drop.
 */

/** Relative margin above the bound before a reordered partial sum may drop a row. */
export const PRUNE_SLACK = 1 + 1e-9;

/**
 * Absolute margin, per event summed, for bounds whose terms are capped without a branch
 * (see cappedTerm): each such term is at most 16 ulp of the cap above the exact one.
 */
export const CAPPED_SLOP = 1e-13;

/**
 * min(e², cap) for a lower bound, without a branch: which side of the cap a term falls
 * on is unpredictable, and a mispredicted branch costs more than the arithmetic. Exact
 * above the cap; below it within 16 ulp of the cap (the rounding of cap − e²).
 */
export function cappedTerm(e: number, cap: number): number {
  const u = cap - e * e;
  return cap - (u + Math.abs(u)) * 0.5;
}
