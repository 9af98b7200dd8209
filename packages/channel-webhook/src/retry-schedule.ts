/**
 * Waits after the 1st, 2nd, … failed attempt, following the Standard Webhooks recommendation (5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h). The last entry repeats.
 */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Options of {@link retryDelayMs}. */
export interface RetryScheduleOptions {
  /** Delay after each failed attempt (default {@link DEFAULT_RETRY_SCHEDULE_MS}). */
  scheduleMs?: readonly number[];
  /** Spread: the delay is drawn uniformly from ±`jitterRatio` of the scheduled one. Default 0.2. */
  jitterRatio?: number;
  /** Source of randomness in [0, 1) — inject a fixed one for deterministic tests. Default `Math.random`. */
  random?: () => number;
}

/** The delay before the next attempt after `failures` failed attempts (1-based), with jitter. */
export function retryDelayMs(failures: number, options: RetryScheduleOptions = {}): number {
  const schedule = options.scheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS;
  const base = schedule[Math.min(Math.max(failures, 1), schedule.length) - 1] ?? 0;
  const ratio = Math.min(Math.max(options.jitterRatio ?? 0.2, 0), 1);
  const random = Math.min(Math.max((options.random ?? Math.random)(), 0), 1);
  return Math.max(0, Math.round(base * (1 - ratio + 2 * ratio * random)));
}

/**
 * Parses an HTTP `Retry-After` value — delay-seconds or an HTTP-date — into milliseconds from `nowMs`.
 * Returns undefined when absent or unparseable; never negative.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
