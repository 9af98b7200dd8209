/**
 * The engine's source of time. `now()` gives the current instant; `sleep()` waits until a later instant of the
 * same clock, or until `signal` aborts (the scheduler's early wake-up). Inject a {@link ManualClock} in tests and
 * simulations so nothing waits on real time.
 */
export interface Clock {
  /** The current instant, ISO 8601 UTC with milliseconds. */
  now(): string;
  /** Resolves after `ms` of this clock's time have passed, or at once when `signal` aborts. Never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The longest single timer Node accepts; longer sleeps are cut to it (the scheduler just sleeps again). */
const MAX_TIMER_MS = 2_147_483_647;

/** The system clock: `Date.now()` and `setTimeout`. The default of `createCoordinator()`. */
export const systemClock: Clock = {
  now: () => new Date().toISOString(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.min(Math.max(0, ms), MAX_TIMER_MS));
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** A clock that moves only when told to: for tests and simulations (like XState's `SimulatedClock`). */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` and wakes sleepers whose time has come. */
  advance(ms: number): void;
  /** Sets the time to `instant` (never backwards) and wakes sleepers whose time has come. */
  set(instant: string): void;
}

/**
 * Creates a {@link ManualClock} starting at `start`.
 * @example
 * ```ts
 * const clock = createManualClock('2026-11-23T14:00:00Z');
 * clock.advance(15 * 60_000);
 * clock.now(); // '2026-11-23T14:15:00.000Z'
 * ```
 */
export function createManualClock(start: string): ManualClock {
  let current = Date.parse(start);
  if (Number.isNaN(current)) throw new RangeError('createManualClock: start must be an ISO 8601 instant');
  const sleepers = new Set<{ until: number; wake: () => void }>();

  const release = () => {
    for (const sleeper of [...sleepers]) if (sleeper.until <= current) sleeper.wake();
  };

  return {
    now: () => new Date(current).toISOString(),
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted || ms <= 0) return resolve();
        const sleeper = { until: current + ms, wake: () => {} };
        sleeper.wake = () => {
          sleepers.delete(sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError('ManualClock.advance: ms must be a non-negative number');
      current += ms;
      release();
    },
    set(instant) {
      const next = Date.parse(instant);
      if (Number.isNaN(next)) throw new RangeError('ManualClock.set: not an ISO 8601 instant');
      if (next > current) current = next;
      release();
    },
  };
}
