import type { Owner } from '../model/entities.js';
import { DAY, toMillis } from '../model/primitives.js';
import type { CalendarCache } from '../schedule/calendar-cache.js';
import { ZoneClock, startOfWallDay } from '../schedule/time-zone.js';
import type { WindowMillis } from './window.js';

/** A local calendar day `YYYY-MM-DD` in some owner's time zone. */
export type LocalDate = string;

/** The local date of an instant in a zone, as `YYYY-MM-DD`. */
export function localDate(instant: number, clock: ZoneClock): LocalDate {
  return new Date(startOfWallDay(clock.toWall(instant))).toISOString().slice(0, 10);
}

/**
 * The owner's working days inside the window: local calendar days (in the owner's zone) that start inside the
 * window and hold some working time (per their working-hours RRULEs) that no absence covers.
 * An owner with no working hours works every day.
 */
export function workingDays(owner: Owner, window: WindowMillis, calendars: CalendarCache): LocalDate[] {
  const clock = new ZoneClock(owner.timeZone);
  const calendar = calendars.working(owner);
  const absences = owner.absences.map((a) => ({ start: toMillis(a.start), end: toMillis(a.end) }));
  const days: LocalDate[] = [];
  let wall = startOfWallDay(clock.toWall(window.from));
  if (clock.fromWall(wall) < window.from) wall += DAY;
  for (; ; wall += DAY) {
    const start = clock.fromWall(wall);
    if (start >= window.to) break;
    const end = clock.fromWall(wall + DAY);
    if (hasPresentWorkingTime(calendar, absences, start, end)) days.push(new Date(wall).toISOString().slice(0, 10));
  }
  return days;
}

function hasPresentWorkingTime(
  calendar: ReturnType<CalendarCache['working']>,
  absences: ReadonlyArray<{ start: number; end: number }>,
  start: number,
  end: number,
): boolean {
  let at = start;
  // Walk forward through working instants of the day, stepping past absences that cover them.
  for (let guard = 0; guard < 50 && at < end; guard++) {
    const next = calendar.nextWorkingInstant(at);
    if (next === undefined || next >= end) return false;
    const covering = absences.find((a) => a.start <= next && next < a.end);
    if (!covering) return true;
    at = covering.end;
  }
  return false;
}
