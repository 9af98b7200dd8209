import { CareRelayError } from '../errors.js';
import { InstantSchema, toMillis } from '../model/primitives.js';

/** The half-open measurement window `[from, to)`: instants as ISO 8601 strings with an offset. */
export interface MetricsWindow {
  from: string;
  to: string;
}

/** A window parsed to epoch milliseconds. */
export interface WindowMillis {
  from: number;
  to: number;
}

/**
 * Validates a window: both ends must be ISO 8601 instants with an offset and `from` must be before `to`.
 * @throws CareRelayError `invalid_input` naming the bad field.
 */
export function windowMillis(window: MetricsWindow): WindowMillis {
  for (const field of ['from', 'to'] as const) {
    if (!InstantSchema.safeParse(window[field]).success) {
      throw new CareRelayError('invalid_input', `invalid metrics window: ${field}: not an ISO 8601 instant with an offset`, {
        issues: [{ path: field, message: 'not an ISO 8601 instant with an offset' }],
      });
    }
  }
  const from = toMillis(window.from);
  const to = toMillis(window.to);
  if (!(from < to)) {
    throw new CareRelayError('invalid_input', 'invalid metrics window: to: must be after from', { issues: [{ path: 'to', message: 'must be after from' }] });
  }
  return { from, to };
}

/** Whether `at` lies in the window `[from, to)`. */
export function inWindow(at: number, window: WindowMillis): boolean {
  return at >= window.from && at < window.to;
}
