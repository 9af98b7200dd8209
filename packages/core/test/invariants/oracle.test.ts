import fc from 'fast-check';
import { WorkingCalendar } from '@carerelay/core';
import { formatInTimeZone } from 'date-fns-tz';
import { describe, expect, it } from 'vitest';
import { DST_TRANSITIONS_2026, ZONES, workingHoursArb } from '../arbitraries.js';
import { NUM_RUNS, PROPERTY_TIMEOUT_MS } from './run-queries.js';
import { isWorkingAt, localLabel } from './working-hours-oracle.js';

const at = Date.parse;
const offset = (instant: number, zone: string) => formatInTimeZone(instant, zone, 'xxx');

describe('the fixtures the properties stand on', () => {
  it('anchors deadlines on real 2026 DST transitions (the offset changes across each one)', () => {
    for (const [zone, instants] of Object.entries(DST_TRANSITIONS_2026)) {
      for (const instant of instants) expect(offset(at(instant) - 60_000, zone), `${zone} ${instant}`).not.toBe(offset(at(instant), zone));
    }
    expect(offset(at('2026-10-03T15:29:00Z'), 'Australia/Lord_Howe')).toBe('+10:30');
    expect(offset(at('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe')).toBe('+11:00');
  });

  it('has an oracle that gets DST cases right, worked out by hand', () => {
    const office = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }];
    // Lord Howe, first Monday after the 30-minute spring-forward: 09:00 +11:00 is 22:00Z on Sunday.
    expect(isWorkingAt({ timeZone: 'Australia/Lord_Howe', workingHours: office }, at('2026-10-04T21:59:00Z'))).toBe(false);
    expect(isWorkingAt({ timeZone: 'Australia/Lord_Howe', workingHours: office }, at('2026-10-04T22:00:00Z'))).toBe(true);
    // New York night shift over spring-forward: Sat 22:00 EST (03:00Z) for 10 wall hours ends 08:00 EDT (12:00Z).
    const night = [{ rrule: 'FREQ=WEEKLY;BYDAY=SA', start: '22:00', durationMinutes: 600 }];
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: night }, at('2026-03-08T02:59:00Z'))).toBe(false);
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: night }, at('2026-03-08T11:59:00Z'))).toBe(true);
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: night }, at('2026-03-08T12:00:00Z'))).toBe(false);
    // A start inside the New York gap (02:30 does not exist) moves forward by the gap: 03:30 EDT = 07:30Z; the
    // wall-clock end 04:30 EDT is 08:30Z.
    const gap = [{ rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '02:30', durationMinutes: 120 }];
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: gap }, at('2026-03-08T07:29:00Z'))).toBe(false);
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: gap }, at('2026-03-08T07:30:00Z'))).toBe(true);
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: gap }, at('2026-03-08T08:29:00Z'))).toBe(true);
    expect(isWorkingAt({ timeZone: 'America/New_York', workingHours: gap }, at('2026-03-08T08:30:00Z'))).toBe(false);
    // Chatham's gap is 02:45–03:45: a 03:00 start becomes 04:00 +13:45 = 14:15Z the day before.
    const chatham = [{ rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '03:00', durationMinutes: 30 }];
    expect(isWorkingAt({ timeZone: 'Pacific/Chatham', workingHours: chatham }, at('2026-09-26T14:14:00Z'))).toBe(false);
    expect(isWorkingAt({ timeZone: 'Pacific/Chatham', workingHours: chatham }, at('2026-09-26T14:15:00Z'))).toBe(true);
    // Lord Howe falls back 02:00 → 01:30: a 01:45 start is the first 01:45 (+11:00), its 02:45 end is +10:30: 90 real minutes.
    const overlap = [{ rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '01:45', durationMinutes: 60 }];
    expect(isWorkingAt({ timeZone: 'Australia/Lord_Howe', workingHours: overlap }, at('2026-04-04T14:44:00Z'))).toBe(false);
    expect(isWorkingAt({ timeZone: 'Australia/Lord_Howe', workingHours: overlap }, at('2026-04-04T16:14:00Z'))).toBe(true);
    expect(isWorkingAt({ timeZone: 'Australia/Lord_Howe', workingHours: overlap }, at('2026-04-04T16:15:00Z'))).toBe(false);
  });
});

/** Not one of the nine invariants: a differential check that the core's calendar and the oracle agree near DST. */
it('WorkingCalendar agrees with the independent oracle on whether an owner is working, near DST transitions', () => {
  const transitions = Object.values(DST_TRANSITIONS_2026).flat();
  fc.assert(
    fc.property(
      fc.record({
        timeZone: fc.constantFrom(...ZONES),
        workingHours: workingHoursArb,
        transition: fc.constantFrom(...transitions),
        minutesFromTransition: fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }),
      }),
      ({ timeZone, workingHours, transition, minutesFromTransition }) => {
        const calendar = new WorkingCalendar(workingHours, timeZone);
        const instant = at(transition) + minutesFromTransition * 60_000;
        for (const t of [instant, instant - 1, instant + 59_999]) {
          expect(calendar.isWorking(t), `${localLabel(t, timeZone)} ${timeZone}`).toBe(isWorkingAt({ timeZone, workingHours }, t));
        }
      },
    ),
    { numRuns: NUM_RUNS * 2 },
  );
}, PROPERTY_TIMEOUT_MS);
