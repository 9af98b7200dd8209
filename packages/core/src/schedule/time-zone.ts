import { getTimezoneOffset } from 'date-fns-tz';
import { DAY, MINUTE } from '../model/primitives.js';

/**
 * "Wall-clock milliseconds": the local date and time in a zone, encoded as if it were UTC.
 * `Date.UTC(2026, 10, 26, 10, 0)` is 10:00 on 26 Nov local time, whatever the zone. Only `getUTC*` fields are ever read,
 * so results never depend on the process's own TZ.
 */
export type WallMillis = number;

/** The wall-clock time of an instant in a zone. */
export function toWall(instantMillis: number, timeZone: string): WallMillis {
  return instantMillis + getTimezoneOffset(timeZone, new Date(instantMillis));
}

/**
 * The instant of a wall-clock time in a zone. A time inside a spring-forward gap (which does not exist locally)
 * moves forward by the gap's length, as RFC 5545 and Temporal's "compatible" disambiguation do; a time repeated
 * in a fall-back overlap maps to its first occurrence.
 */
export function fromWall(wall: WallMillis, timeZone: string): number {
  const before = getTimezoneOffset(timeZone, new Date(wall - DAY));
  const after = getTimezoneOffset(timeZone, new Date(wall + DAY));
  // Try the earlier offset first: in an overlap it gives the first occurrence.
  const offsets = before >= after ? [before, after] : [after, before];
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (toWall(candidate, timeZone) === wall) return candidate;
  }
  // In a gap no candidate round-trips: the wall time does not exist. Use the offset in force before the gap,
  // which lands on the instant just after the jump.
  const candidate = wall - Math.min(before, after);
  return toWall(candidate, timeZone) >= wall ? candidate : wall - Math.max(before, after);
}

/** Start (wall-clock midnight) of the local day containing `wall`. */
export function startOfWallDay(wall: WallMillis): WallMillis {
  return Math.floor(wall / DAY) * DAY;
}

/** Day of week of a wall-clock time: 0 = Sunday … 6 = Saturday. */
export function wallWeekday(wall: WallMillis): number {
  return new Date(wall).getUTCDay();
}

/** Formats a wall-clock time as `YYYY-MM-DD HH:MM`. */
export function formatWall(wall: WallMillis): string {
  return new Date(wall).toISOString().slice(0, 16).replace('T', ' ');
}

/** Parses `HH:MM` into minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Milliseconds for `minutes`. */
export const minutes = (n: number): number => n * MINUTE;
