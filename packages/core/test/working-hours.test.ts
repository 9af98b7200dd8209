import { describe, expect, it } from 'vitest';
import { WorkingCalendar, addDueAfter, fromWall, toWall } from '@carerelay/core';
import { formatInTimeZone } from 'date-fns-tz';

const weekdays = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }];
const at = (iso: string) => Date.parse(iso);
const local = (ms: number, zone: string) => formatInTimeZone(ms, zone, 'EEE yyyy-MM-dd HH:mm');

describe('working calendars', () => {
  it('moves a Saturday instant to Monday 09:00 local', () => {
    const calendar = new WorkingCalendar(weekdays, 'America/Chicago');
    expect(local(calendar.nextWorkingInstant(at('2026-11-28T18:00:00Z'))!, 'America/Chicago')).toBe('Mon 2026-11-30 09:00');
  });

  it('keeps 09:00 local across the US spring-forward and fall-back weekends', () => {
    const calendar = new WorkingCalendar(weekdays, 'America/New_York');
    expect(local(calendar.nextWorkingInstant(at('2026-03-08T12:00:00Z'))!, 'America/New_York')).toBe('Mon 2026-03-09 09:00');
    expect(calendar.nextWorkingInstant(at('2026-03-08T12:00:00Z'))).toBe(at('2026-03-09T13:00:00Z'));
    expect(calendar.nextWorkingInstant(at('2026-11-01T12:00:00Z'))).toBe(at('2026-11-02T14:00:00Z'));
  });

  it("handles Lord Howe's 30-minute DST shift", () => {
    const calendar = new WorkingCalendar(weekdays, 'Australia/Lord_Howe');
    // DST starts Sunday 4 Oct 2026 (+10:30 → +11:00).
    expect(local(calendar.nextWorkingInstant(at('2026-10-03T00:00:00Z'))!, 'Australia/Lord_Howe')).toBe('Mon 2026-10-05 09:00');
    expect(calendar.nextWorkingInstant(at('2026-10-03T00:00:00Z'))).toBe(at('2026-10-04T22:00:00Z'));
  });

  it('finds the last working minute before a weekend deadline', () => {
    const calendar = new WorkingCalendar(weekdays, 'Europe/London');
    const last = calendar.latestWorkingInstantBefore(at('2026-11-29T10:00:00Z'), at('2026-11-20T00:00:00Z'))!;
    expect(local(last, 'Europe/London')).toBe('Fri 2026-11-27 16:59');
  });

  it('is always working without windows', () => {
    const calendar = new WorkingCalendar([], 'Asia/Kolkata');
    expect(calendar.isWorking(at('2026-11-29T03:00:00Z'))).toBe(true);
  });

  it('maps wall-clock times through a DST gap forward and an overlap to its first occurrence', () => {
    const gap = Date.UTC(2026, 2, 8, 2, 30); // 02:30 does not exist in New York on 8 Mar 2026
    expect(new Date(fromWall(gap, 'America/New_York')).toISOString()).toBe('2026-03-08T07:30:00.000Z');
    const overlap = Date.UTC(2026, 10, 1, 1, 30); // 01:30 happens twice on 1 Nov 2026
    expect(new Date(fromWall(overlap, 'America/New_York')).toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(toWall(at('2026-11-01T05:30:00Z'), 'America/New_York')).toBe(overlap);
  });
});

describe('due dates from rule-pack timelines', () => {
  it('counts business days (CCBHC routine access: 10 business days)', () => {
    const due = addDueAfter(at('2026-11-20T15:00:00Z'), { amount: 10, unit: 'business_days' }, 'America/Chicago');
    expect(local(due, 'America/Chicago')).toBe('Fri 2026-12-04 09:00');
  });

  it('keeps local time across DST for calendar days (HEDIS FUH 7 days)', () => {
    const due = addDueAfter(at('2026-10-30T14:00:00Z'), { amount: 7, unit: 'days' }, 'America/New_York');
    expect(local(due, 'America/New_York')).toBe('Fri 2026-11-06 10:00');
  });
});
