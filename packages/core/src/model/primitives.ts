import { z } from 'zod';

/**
 * An instant in time as an ISO 8601 string with an offset (`2026-11-26T16:00:00Z`).
 * Parsing normalises it to UTC with milliseconds (`2026-11-26T16:00:00.000Z`), so instants compare as strings.
 */
export const InstantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());
/** A normalised UTC instant, e.g. `2026-11-26T16:00:00.000Z`. */
export type Instant = string;

/** Canonical IANA zones of this runtime, as a frozen lookup table (validation runs on every ingested record). */
const CANONICAL_ZONES: Readonly<Record<string, true>> = Object.freeze(
  Object.fromEntries(Intl.supportedValuesOf('timeZone').map((zone) => [zone, true] as const)),
);

/** Returns true when `zone` is an IANA time zone this runtime knows (e.g. `America/Chicago`, or an alias such as `US/Eastern`). */
export function isTimeZone(zone: string): boolean {
  if (CANONICAL_ZONES[zone] === true) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name such as `America/Chicago` or `Australia/Lord_Howe`. */
export const TimeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, { message: 'not an IANA time zone' });

/** A non-empty identifier (at most 200 characters). */
export const IdSchema = z.string().min(1).max(200);

/** The tenant (organization) every record belongs to. */
export const TenantIdSchema = IdSchema;

/** Care-team roles CareRelay knows by name. Any other non-empty string is accepted as a custom role. */
export const KNOWN_ROLES = [
  'therapist',
  'prescriber',
  'case_manager',
  'ur_coordinator',
  'peer_specialist',
  'supervisor',
  'intake',
  'crisis_clinician',
] as const;
/** One of {@link KNOWN_ROLES}. */
export type KnownRole = (typeof KNOWN_ROLES)[number];
/** A care-team role: a {@link KnownRole} or a custom string. */
export type Role = KnownRole | (string & {});
/** Schema for {@link Role}. */
export const RoleSchema = z.string().min(1).max(64) as z.ZodType<Role>;

/** Parses an instant to epoch milliseconds. */
export function toMillis(instant: Instant): number {
  return Date.parse(instant);
}

/** Formats epoch milliseconds as a normalised {@link Instant}. */
export function toInstant(millis: number): Instant {
  return new Date(millis).toISOString();
}

/** Milliseconds in a minute, hour and day. */
export const MINUTE = 60_000;
/** Milliseconds in an hour. */
export const HOUR = 60 * MINUTE;
/** Milliseconds in a day (24 hours; calendar days across DST are handled in `schedule/`). */
export const DAY = 24 * HOUR;
