import { fromWall, toInstant, type Instant } from '@carerelay/core';

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Parses an HL7 DTM/TS (`YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`) to a UTC instant. Missing parts default to
 * the start of the period; without an offset the wall time is read in `timeZone` (the sender's zone). Returns
 * undefined when the text is not a valid timestamp (never throws).
 */
export function hl7Instant(raw: string | undefined, timeZone: string): Instant | undefined {
  if (raw === undefined) return undefined;
  const m = DTM.exec(raw.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const offset = m[8];
  if (offset === undefined) return toInstant(fromWall(wall, timeZone));
  const sign = offset.startsWith('-') ? -1 : 1;
  const oh = Number(offset.slice(1, 3));
  const om = Number(offset.slice(3, 5));
  if (oh > 14 || om > 59) return undefined;
  return toInstant(wall - sign * (oh * 60 + om) * 60_000);
}

/** The calendar date `YYYY-MM-DD` of an HL7 DT/DTM that has at least year, month and day; undefined otherwise. */
export function hl7Date(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = DTM.exec(raw.trim());
  if (!m || m[2] === undefined || m[3] === undefined) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}
