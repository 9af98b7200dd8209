import { fromWall } from '@carerelay/core';

/**
 * FHIR `date`, `dateTime` and `instant` values: a year, a month, a day, or a time of day; a time carries a zone
 * offset (FHIR requires one; a missing offset is read in the configured time zone).
 */
export const FHIR_DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** How precise a FHIR time was. */
export type TimePrecision = 'year' | 'month' | 'day' | 'time';

/** A FHIR time read as an instant, with its precision. */
export interface ReadTime {
  /** Normalised UTC instant (`2026-11-26T16:00:00.000Z`). */
  instant: string;
  precision: TimePrecision;
}

/** Whether a string is a well-formed FHIR date/dateTime/instant (with real calendar values). */
export function isFhirDateTime(value: string): boolean {
  return readFhirTime(value, 'UTC') !== undefined;
}

/**
 * Reads a FHIR date/dateTime/instant. A value without a time (a date, a month, a year) starts at local midnight
 * in `timeZone` on its first day; a time without an offset is read as wall time in `timeZone`.
 * Returns undefined for malformed values or impossible calendar dates.
 */
export function readFhirTime(value: string, timeZone: string): ReadTime | undefined {
  const m = FHIR_DATE_TIME.exec(value.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  // FHIR allows a leap second (60); it is read as the last millisecond of the minute.
  const rawSecond = m[6] === undefined ? 0 : Number(m[6]);
  const second = Math.min(rawSecond, 59);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || rawSecond > 60) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, rawSecond === 60 ? 999 : millis);
  const check = new Date(wall);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const precision: TimePrecision = m[4] !== undefined ? 'time' : m[3] !== undefined ? 'day' : m[2] !== undefined ? 'month' : 'year';
  const offset = m[8];
  let instant: number;
  if (offset === undefined) instant = fromWall(wall, timeZone);
  else if (offset === 'Z') instant = wall;
  else {
    const sign = offset.startsWith('-') ? -1 : 1;
    const [h, mm] = offset.slice(1).split(':').map(Number) as [number, number];
    if (h > 14 || mm > 59) return undefined;
    instant = wall - sign * (h * 60 + mm) * 60_000;
  }
  if (!Number.isFinite(instant)) return undefined;
  return { instant: new Date(instant).toISOString(), precision };
}

/** Whether a FHIR `date` is a full `YYYY-MM-DD` calendar date. */
export function isFullDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && readFhirTime(value, 'UTC') !== undefined;
}
