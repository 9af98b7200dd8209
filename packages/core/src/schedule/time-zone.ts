import { DAY, MINUTE } from '../model/primitives.js';

/**
 * "Wall-clock milliseconds": the local date and time in a zone, encoded as if it were UTC.
 * `Date.UTC(2026, 10, 26, 10, 0)` is 10:00 on 26 Nov local time, whatever the zone. Only `getUTC*` fields are ever read,
 * so results never depend on the process's own TZ.
 */
export type WallMillis = number;

/**
 * Converts between instants and wall-clock time in one IANA zone, using the runtime's time-zone database
 * through `Intl` (one formatter per instance; create one per zone and reuse it).
 *
 * (date-fns-tz's `getTimezoneOffset` is not used here: for an instant within a few hours after a transition it
 * answers the offset of the *wall time* equal to the instant's UTC fields, which is off by the DST shift there.)
 */
export class ZoneClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  /** Offsets per UTC day when constant over that day (the case on all but about two days a year). */
  private readonly dayOffsets = new Map<number, number>();

  constructor(timeZone: string) {
    this.timeZone = timeZone;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /**
   * The zone's offset from UTC at an instant, in milliseconds (e.g. −21,600,000 for CST). Memoised per UTC day:
   * a day whose offset is the same at both ends is taken as constant (no zone changes offset twice in a day);
   * on transition days every call asks `Intl`.
   */
  offsetAt(instant: number): number {
    const day = Math.floor(instant / DAY);
    const cached = this.dayOffsets.get(day);
    if (cached !== undefined) return cached;
    const start = this.exactOffsetAt(day * DAY);
    if (start === this.exactOffsetAt(day * DAY + DAY - 1000)) {
      if (this.dayOffsets.size > 20_000) this.dayOffsets.clear();
      this.dayOffsets.set(day, start);
      return start;
    }
    return this.exactOffsetAt(instant);
  }

  private exactOffsetAt(instant: number): number {
    const seconds = Math.floor(instant / 1000) * 1000;
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(seconds)) if (part.type !== 'literal') fields[part.type] = Number(part.value);
    const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
    return wall - seconds;
  }

  /** The wall-clock time of an instant. */
  toWall(instant: number): WallMillis {
    return instant + this.offsetAt(instant);
  }

  /**
   * The instant of a wall-clock time. A time inside a spring-forward gap (which does not exist locally) moves
   * forward by the gap's length, as RFC 5545 and Temporal's "compatible" disambiguation do; a time repeated in a
   * fall-back overlap maps to its first occurrence.
   */
  fromWall(wall: WallMillis): number {
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    if (before === after) {
      // No transition near: the common case, one candidate (verified, in case of a transition within a day).
      const candidate = wall - before;
      if (this.toWall(candidate) === wall) return candidate;
    }
    // Larger offset first: in an overlap it is the earlier instant.
    const [high, low] = before >= after ? [before, after] : [after, before];
    if (this.toWall(wall - high) === wall) return wall - high;
    if (this.toWall(wall - low) === wall) return wall - low;
    // In a gap: read the wall time with the offset in force before the gap, which lands after the jump.
    return wall - Math.min(before, after);
  }
}

/** The wall-clock time of an instant in a zone (convenience; reuse a {@link ZoneClock} in loops). */
export function toWall(instantMillis: number, timeZone: string): WallMillis {
  return new ZoneClock(timeZone).toWall(instantMillis);
}

/** The instant of a wall-clock time in a zone (convenience; reuse a {@link ZoneClock} in loops). */
export function fromWall(wall: WallMillis, timeZone: string): number {
  return new ZoneClock(timeZone).fromWall(wall);
}

/** Start (wall-clock midnight) of the local day containing `wall`. */
export function startOfWallDay(wall: WallMillis): WallMillis {
  return Math.floor(wall / DAY) * DAY;
}

/** Day of week of a wall-clock time: 0 = Sunday … 6 = Saturday. */
export function wallWeekday(wall: WallMillis): number {
  return new Date(wall).getUTCDay();
}

/** Parses `HH:MM` into minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Milliseconds for `n` minutes. */
export const minutes = (n: number): number => n * MINUTE;
