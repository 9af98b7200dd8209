/**
 * An independent oracle for working hours, written without the core's `WorkingCalendar`, `ZoneClock` or rrule:
 * local wall time comes from date-fns-tz `formatInTimeZone` (Intl), weekly BYDAY rules are expanded day by day.
 *
 * Semantics (as documented on `WorkingWindow`): a window starts at a local wall-clock time on each listed weekday and
 * lasts `durationMinutes` of local wall-clock time. A wall time that does not exist (inside a spring-forward gap) is
 * moved forward by the gap's length (RFC 5545 §3.3.5); a wall time that occurs twice (fall-back overlap) means its
 * first occurrence.
 */
import { formatInTimeZone } from 'date-fns-tz';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** The parts of an owner the oracle needs. */
export interface OracleOwner {
  timeZone: string;
  workingHours: readonly { rrule: string; start: string; durationMinutes: number }[];
}

/** Local wall-clock time of an instant, encoded as UTC milliseconds ("10:00 local" → `Date.UTC(…, 10, 0)`). */
export function wallOf(instant: number, zone: string): number {
  return Date.parse(`${formatInTimeZone(instant, zone, "yyyy-MM-dd'T'HH:mm:ss.SSS")}Z`);
}

/** Human-readable local time, for failure messages: `Sun 2026-03-08 03:15 (-04:00)`. */
export function localLabel(instant: number, zone: string): string {
  return formatInTimeZone(instant, zone, 'EEE yyyy-MM-dd HH:mm (xxx)');
}

/** The instant a local wall time denotes (RFC 5545 rules for gaps and overlaps, see the module comment). */
export function instantOfWall(wall: number, zone: string): number {
  // Offsets in force a day and a half either side cover every offset the wall time could be read with.
  const offsets = [...new Set([wallOf(wall - 36 * HOUR, zone) - (wall - 36 * HOUR), wallOf(wall + 36 * HOUR, zone) - (wall + 36 * HOUR)])];
  const exact = offsets.map((o) => wall - o).filter((t) => wallOf(t, zone) === wall);
  if (exact.length) return Math.min(...exact);
  // A gap: read it with the offset in force before the jump (the smaller one), which lands gap-length later.
  return wall - Math.min(...offsets);
}

function parseWeekly(rrule: string): Set<string> {
  const body = rrule.replace(/^RRULE:/, '');
  const parts = new Map(body.split(';').map((kv) => kv.split('=') as [string, string]));
  if (parts.get('FREQ') !== 'WEEKLY' || [...parts.keys()].some((k) => k !== 'FREQ' && k !== 'BYDAY')) {
    throw new Error(`oracle only understands FREQ=WEEKLY;BYDAY=… rules, got ${rrule}`);
  }
  return new Set((parts.get('BYDAY') ?? '').split(','));
}

/** Working intervals `[start, end)` (instants) of windows starting on local days that could reach `[from, to)`. */
export function workingIntervals(owner: OracleOwner, from: number, to: number): { start: number; end: number }[] {
  const intervals: { start: number; end: number }[] = [];
  const longest = Math.max(0, ...owner.workingHours.map((w) => w.durationMinutes)) * MINUTE;
  const firstDay = Math.floor((wallOf(from, owner.timeZone) - longest) / DAY) * DAY - DAY;
  const lastDay = Math.floor(wallOf(to, owner.timeZone) / DAY) * DAY + DAY;
  for (const window of owner.workingHours) {
    const days = parseWeekly(window.rrule);
    const [h, m] = window.start.split(':').map(Number) as [number, number];
    for (let day = firstDay; day <= lastDay; day += DAY) {
      if (!days.has(WEEKDAYS[new Date(day).getUTCDay()]!)) continue;
      const wallStart = day + (h * 60 + m) * MINUTE;
      const start = instantOfWall(wallStart, owner.timeZone);
      const end = instantOfWall(wallStart + window.durationMinutes * MINUTE, owner.timeZone);
      if (end > start && end > from && start < to) intervals.push({ start, end });
    }
  }
  return intervals.sort((a, b) => a.start - b.start);
}

/** Whether the owner is working at `instant` (always, when they have no windows). */
export function isWorkingAt(owner: OracleOwner, instant: number): boolean {
  if (owner.workingHours.length === 0) return true;
  return workingIntervals(owner, instant, instant + 1).some((w) => w.start <= instant && instant < w.end);
}

/** Whether the owner has any working time in `[from, to)`. */
export function hasWorkingTimeBetween(owner: OracleOwner, from: number, to: number): boolean {
  if (to <= from) return false;
  if (owner.workingHours.length === 0) return true;
  return workingIntervals(owner, from, to).some((w) => w.start < to && w.end > from);
}

/** The owner's local calendar date (`yyyy-MM-dd`) at an instant, for daily budgets. */
export function localDate(instant: number, zone: string): string {
  return formatInTimeZone(instant, zone, 'yyyy-MM-dd');
}
