/**
 * The `p`-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method: the smallest value such that
 * at least p % of the values are at or below it. `Infinity` entries stand for "not reached" (censored) and sort
 * last. Returns null for an empty list.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** `numerator / denominator`, or null when the denominator is 0 (a rate with nothing to measure). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
