import type { DueAfter } from '../rules/rule-pack.js';
import { DAY, HOUR, MINUTE } from '../model/primitives.js';
import { ZoneClock, wallWeekday } from './time-zone.js';

/**
 * The instant `dueAfter` after `fromMillis`, in the patient's time zone: calendar days keep the local
 * time of day across DST; business days skip Saturdays and Sundays (a start on a weekend counts from Monday).
 */
export function addDueAfter(fromMillis: number, dueAfter: DueAfter, timeZone: string): number {
  const clock = new ZoneClock(timeZone);
  switch (dueAfter.unit) {
    case 'minutes':
      return fromMillis + dueAfter.amount * MINUTE;
    case 'hours':
      return fromMillis + dueAfter.amount * HOUR;
    case 'days':
      return clock.fromWall(clock.toWall(fromMillis) + dueAfter.amount * DAY);
    case 'business_days': {
      let wall = clock.toWall(fromMillis);
      let left = dueAfter.amount;
      while (left > 0) {
        wall += DAY;
        const day = wallWeekday(wall);
        if (day !== 0 && day !== 6) left--;
      }
      return clock.fromWall(wall);
    }
  }
}
