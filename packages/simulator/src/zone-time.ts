import { DAY, HOUR } from '@carerelay/core';

/**
 * Wall-clock arithmetic in IANA zones for the simulator, with one `Intl` formatter per zone and offsets memoised
 * per UTC hour (zones change offset on the hour in the US). "Wall" milliseconds encode a local date and time as if
 * it were UTC: `Date.UTC(2026, 0, 5, 9)` is 09:00 on 5 January local time.
 */
export class ZoneTime {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  private readonly offsets = new Map<string, number>();

  /** The zone's offset from UTC at an instant, in ms. */
  offset(zone: string, instant: number): number {
    const hour = Math.floor(instant / HOUR);
    const key = `${zone}|${hour}`;
    const cached = this.offsets.get(key);
    if (cached !== undefined) return cached;
    let format = this.formats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
      this.formats.set(zone, format);
    }
    const at = hour * HOUR;
    const f: Record<string, number> = {};
    for (const part of format.formatToParts(at)) if (part.type !== 'literal') f[part.type] = Number(part.value);
    const value = Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!) - at;
    this.offsets.set(key, value);
    return value;
  }

  /** The local wall time of an instant. */
  toWall(zone: string, instant: number): number {
    return instant + this.offset(zone, instant);
  }

  /** The instant of a local wall time (the earlier one in a fall-back overlap; moved forward out of a spring-forward gap). */
  fromWall(zone: string, wall: number): number {
    const before = this.offset(zone, wall - DAY);
    const after = this.offset(zone, wall + DAY);
    const candidates = [wall - before, wall - after].filter((c) => this.toWall(zone, c) === wall);
    if (candidates.length > 0) return Math.min(...candidates);
    return wall - before; // in a gap: read with the offset before the jump, which lands after it
  }

  /** Local day number (days since 1970-01-01 in local wall time). */
  localDay(zone: string, instant: number): number {
    return Math.floor(this.toWall(zone, instant) / DAY);
  }

  /** Local hour of day, 0–23. */
  localHour(zone: string, instant: number): number {
    return new Date(this.toWall(zone, instant)).getUTCHours();
  }

  /** Local weekday, 0 = Sunday … 6 = Saturday. */
  localWeekday(zone: string, instant: number): number {
    return new Date(this.toWall(zone, instant)).getUTCDay();
  }

  /** The instant of `hh:mm` local time on local day number `day`. */
  at(zone: string, day: number, hour: number, minute = 0): number {
    return this.fromWall(zone, day * DAY + hour * HOUR + minute * 60_000);
  }
}

/** Whether a local day number is Monday–Friday. */
export function isBusinessDay(day: number): boolean {
  const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday
  return weekday >= 1 && weekday <= 5;
}

/** Weekday (0 = Sunday) of a local day number. */
export function weekdayOf(day: number): number {
  return (day + 4) % 7;
}

/** The `n`-th business day after local day `day` (n ≥ 0; 0 gives the first business day at or after `day`). */
export function addBusinessDays(day: number, n: number): number {
  let d = day;
  while (!isBusinessDay(d)) d++;
  for (let left = n; left > 0; ) {
    d++;
    if (isBusinessDay(d)) left--;
  }
  return d;
}
