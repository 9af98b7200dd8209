import type { CoreConfig } from '../config.js';
import { createCoreConfig } from '../config.js';
import type { MilestoneKind } from '../model/entities.js';
import type { CareEvent, CareEventOf, CaseEvent } from '../model/events.js';
import { isCaseEvent } from '../model/events.js';
import { DAY, HOUR, toMillis } from '../model/primitives.js';
import { reduceDirectory } from '../model/reduce.js';
import type { Directory } from '../model/state.js';
import { emptyDirectory } from '../model/state.js';
import { CalendarCache } from '../schedule/calendar-cache.js';
import { ZoneClock, startOfWallDay } from '../schedule/time-zone.js';
import { type ActionableShare, type AlertLoad, type DeliveredNotificationRecord, alertLoad } from './alert-load.js';
import { type CaseHistory, replayCase } from './case-history.js';
import { nearestRank, ratio } from './percentile.js';
import { type MetricsWindow, type WindowMillis, inWindow, windowMillis } from './window.js';

/** Inputs the event stream alone does not carry, and choices of scope. Every field is optional. */
export interface MetricsOptions {
  /** The configuration the events were planned with (its rule packs derive the requirements). Default: `createCoreConfig()`. */
  config?: CoreConfig;
  /**
   * The delivered notifications, so each `notification.delivered` event can be attributed to a recipient, the
   * items it named and the message that carried it. Without them alert counts and the actionable share are 0.
   */
  notifications?: readonly DeliveredNotificationRecord[];
  /** Roles whose owners count as clinicians for alert load. Default: every owner in the directory. */
  clinicianRoles?: readonly string[];
  /** Milestone kinds that are authorizations for the treatment-interruption rate. Default: review and expiry. */
  authorizationKinds?: readonly MilestoneKind[];
  /** Settings whose mental-health discharges open the follow-up measure. Default: `inpatient`, `emergency`. */
  dischargeSettings?: readonly string[];
  /** Days after discharge within which a kept visit counts as follow-up. Default: 7 (HEDIS FUH 7-day). */
  followUpDays?: number;
  /** Reuse working-hours calendars across calls. */
  calendars?: CalendarCache;
}

/** Authorizations whose due instant falls in the window, by outcome. */
export interface TreatmentInterruption {
  /** Authorization milestones due in the window and not cancelled. */
  authorizations: number;
  /** Missed, or still open after their due instant (lapsed). */
  interrupted: number;
  /** Renewed or met. */
  continued: number;
  /** `interrupted / authorizations`. */
  rate: number | null;
}

/** Requirements first satisfied in the window, and how many were right the first time. */
export interface FirstTimeRight {
  satisfied: number;
  /** Satisfied by the author's first note after the item opened, and never reopened. */
  firstTimeRight: number;
  /** Their author had signed an earlier note for the patient after the item opened that did not address it. */
  missedByEarlierNote: number;
  /** Reopened (rework) after being satisfied. */
  reopened: number;
  rate: number | null;
}

/** Milestones due in the window that needed work, and whether it was done by their deadline. */
export interface DeadlineHits {
  milestones: number;
  hit: number;
  missed: number;
  rate: number | null;
}

/** Referrals received in the window and how long until someone owned them. */
export interface TimeToOwner {
  referrals: number;
  owned: number;
  /** Not owned by the end of the window (counted as "not reached" in the percentiles). */
  unowned: number;
  /** Hours; null when fewer than half the referrals were owned by the end of the window. */
  medianHours: number | null;
  /** Hours; null when fewer than 90 % were owned. */
  p90Hours: number | null;
}

/** Requirements that went to a coordinator because nobody on the care team filled their role. */
export interface UnassignedItems {
  /** Requirements opened in the window (or open at its start). */
  requirements: number;
  unassigned: number;
  share: number | null;
  /** Of those, still open with the role unfilled at the end of the window. */
  openAtEnd: number;
}

/** HEDIS FUH-style follow-up after mental-health discharges. */
export interface FollowUpAfterDischarge {
  /** Eligible discharges: in the window, with the whole follow-up period inside it. */
  discharges: number;
  followedUp: number;
  /** Discharges in the window whose follow-up period runs past its end (not yet measurable). */
  censored: number;
  rate: number | null;
}

/** The outcome report for one window. Every rate is null when there was nothing to measure. */
export interface OutcomeMetrics {
  window: MetricsWindow;
  treatmentInterruption: TreatmentInterruption;
  firstTimeRight: FirstTimeRight;
  alertsPerClinicianDay: AlertLoad;
  actionable: ActionableShare;
  deadlines: DeadlineHits;
  timeToOwner: TimeToOwner;
  unassigned: UnassignedItems;
  followUpAfterDischarge: FollowUpAfterDischarge;
}

const DEFAULT_AUTHORIZATION_KINDS: readonly MilestoneKind[] = ['authorization_review', 'authorization_expiry'];
const DEFAULT_DISCHARGE_SETTINGS: readonly string[] = ['inpatient', 'emergency'];

/**
 * Computes the outcome metrics of `events` over the half-open window `[from, to)`. Pure: time is the window,
 * nothing is read from a clock. Events after the window are ignored; events before it are replayed as history.
 * Each case's events are replayed in the order given (the order the engine applied them) through the core's
 * `reduceCase`, so requirements are derived by the same rule packs that planned them.
 * Definitions: `docs/metrics.md`.
 * @throws CareRelayError `invalid_input` when the window is malformed.
 */
export function metrics(events: readonly CareEvent[], window: MetricsWindow, options: MetricsOptions = {}): OutcomeMetrics {
  const span = windowMillis(window);
  const config = options.config ?? createCoreConfig();
  let directory: Directory | undefined;
  const byCase = new Map<string, CaseEvent[]>();
  const deliveries: Array<CareEventOf<'notification.delivered'>> = [];
  for (const event of events) {
    if (toMillis(event.at) >= span.to) continue;
    if (!isCaseEvent(event)) {
      directory = reduceDirectory(directory ?? emptyDirectory(event.tenantId), event);
      continue;
    }
    if (event.type === 'notification.delivered') deliveries.push(event);
    const list = byCase.get(event.patientId);
    if (list) list.push(event);
    else byCase.set(event.patientId, [event]);
  }
  const cases = [...byCase.keys()].sort().map((id) => replayCase(id, byCase.get(id)!, config));
  const alerts = alertLoad(deliveries, options.notifications ?? [], directory ?? emptyDirectory(''), span, {
    ...(options.clinicianRoles === undefined ? {} : { roles: options.clinicianRoles }),
    calendars: options.calendars ?? new CalendarCache(),
  });
  return {
    window: { from: new Date(span.from).toISOString(), to: new Date(span.to).toISOString() },
    treatmentInterruption: treatmentInterruption(cases, span, options.authorizationKinds ?? DEFAULT_AUTHORIZATION_KINDS),
    firstTimeRight: firstTimeRight(cases, span),
    alertsPerClinicianDay: alerts.load,
    actionable: alerts.actionable,
    deadlines: deadlineHits(cases, span),
    timeToOwner: timeToOwner(cases, deliveries, options.notifications ?? [], span),
    unassigned: unassignedItems(cases, span),
    followUpAfterDischarge: followUp(cases, span, options.dischargeSettings ?? DEFAULT_DISCHARGE_SETTINGS, options.followUpDays ?? 7),
  };
}

function treatmentInterruption(cases: readonly CaseHistory[], span: WindowMillis, kinds: readonly MilestoneKind[]): TreatmentInterruption {
  let interrupted = 0;
  let continued = 0;
  for (const c of cases) {
    for (const m of c.milestones.values()) {
      if (!kinds.includes(m.kind) || !inWindow(m.dueAt, span) || m.status === 'cancelled') continue;
      if (m.status === 'renewed' || m.status === 'met') continued++;
      else interrupted++; // missed, or still scheduled past its due instant: lapsed
    }
  }
  const authorizations = interrupted + continued;
  return { authorizations, interrupted, continued, rate: ratio(interrupted, authorizations) };
}

function firstTimeRight(cases: readonly CaseHistory[], span: WindowMillis): FirstTimeRight {
  let satisfied = 0;
  let right = 0;
  let missed = 0;
  let reopened = 0;
  for (const c of cases) {
    for (const r of c.requirements.values()) {
      if (!r.firstSatisfied || !inWindow(r.firstSatisfied.at, span)) continue;
      satisfied++;
      if (r.missedByEarlierNote) missed++;
      if (r.reopened) reopened++;
      if (!r.missedByEarlierNote && !r.reopened) right++;
    }
  }
  return { satisfied, firstTimeRight: right, missedByEarlierNote: missed, reopened, rate: ratio(right, satisfied) };
}

function deadlineHits(cases: readonly CaseHistory[], span: WindowMillis): DeadlineHits {
  let hit = 0;
  let missed = 0;
  for (const c of cases) {
    for (const m of c.milestones.values()) {
      if (!inWindow(m.dueAt, span) || m.status === 'cancelled') continue;
      const work = [...c.requirements.values()].filter((r) => r.milestoneId === m.id && r.status !== 'withdrawn');
      if (work.length === 0) continue;
      const achieved = (m.status === 'met' || m.status === 'renewed') && m.closedAt !== undefined && m.closedAt <= m.dueAt;
      const done = work.every((r) => (r.status === 'satisfied' || r.status === 'waived') && r.closedAt !== undefined && r.closedAt <= m.dueAt);
      if (achieved || done) hit++;
      else missed++;
    }
  }
  return { milestones: hit + missed, hit, missed, rate: ratio(hit, hit + missed) };
}

function timeToOwner(
  cases: readonly CaseHistory[],
  deliveries: ReadonlyArray<CareEventOf<'notification.delivered'>>,
  records: readonly DeliveredNotificationRecord[],
  span: WindowMillis,
): TimeToOwner {
  // First instant each requirement was named to the person who owned it.
  const byId = new Map(records.map((r) => [r.id, r]));
  const namedToOwner = new Map<string, number>();
  for (const event of deliveries) {
    const record = byId.get(event.notificationId);
    if (!record) continue;
    const at = toMillis(event.at);
    for (const item of record.items) {
      if (item.ownerId !== record.recipientId) continue;
      const previous = namedToOwner.get(item.requirementId);
      if (previous === undefined || at < previous) namedToOwner.set(item.requirementId, at);
    }
  }
  const hours: number[] = [];
  let owned = 0;
  for (const c of cases) {
    for (const fact of c.facts) {
      if (fact.fact.kind !== 'referral' || !inWindow(fact.at, span)) continue;
      const requirements = [...c.milestones.values()]
        .filter((m) => m.triggeredByEventId === fact.eventId)
        .flatMap((m) => [...c.requirements.values()].filter((r) => r.milestoneId === m.id));
      let ownedAt = Infinity;
      for (const r of requirements) {
        // A role holder on the team owns it from the referral (or from their assignment, if later).
        for (const a of c.assignments) if (a.member.role === r.role) ownedAt = Math.min(ownedAt, Math.max(a.at, fact.at));
        ownedAt = Math.min(ownedAt, namedToOwner.get(r.id) ?? Infinity);
      }
      if (requirements.length === 0 || ownedAt >= span.to) {
        hours.push(Infinity);
        continue;
      }
      owned++;
      hours.push((ownedAt - fact.at) / HOUR);
    }
  }
  const finite = (v: number | null) => (v === null || v === Infinity ? null : v);
  return {
    referrals: hours.length,
    owned,
    unowned: hours.length - owned,
    medianHours: finite(nearestRank(hours, 50)),
    p90Hours: finite(nearestRank(hours, 90)),
  };
}

function unassignedItems(cases: readonly CaseHistory[], span: WindowMillis): UnassignedItems {
  let requirements = 0;
  let unassigned = 0;
  let openAtEnd = 0;
  for (const c of cases) {
    const roles = new Set(c.finalState.careTeam.map((m) => m.role));
    for (const r of c.requirements.values()) {
      const openDuring = r.openedAt < span.to && (r.closedAt === undefined || r.closedAt >= span.from);
      if (!openDuring || r.status === 'withdrawn') continue;
      requirements++;
      if (!r.unassignedAtOpen) continue;
      unassigned++;
      const milestone = c.milestones.get(r.milestoneId);
      if (r.status === 'open' && milestone?.status === 'scheduled' && !roles.has(r.role)) openAtEnd++;
    }
  }
  return { requirements, unassigned, share: ratio(unassigned, requirements), openAtEnd };
}

function followUp(cases: readonly CaseHistory[], span: WindowMillis, settings: readonly string[], days: number): FollowUpAfterDischarge {
  let discharges = 0;
  let followedUp = 0;
  let censored = 0;
  const clocks = new Map<string, ZoneClock>();
  for (const c of cases) {
    const zone = c.patient?.timeZone ?? 'UTC';
    let clock = clocks.get(zone);
    if (!clock) clocks.set(zone, (clock = new ZoneClock(zone)));
    const visits = c.facts
      .filter((f) => f.fact.kind === 'appointment' && f.fact.status === 'kept')
      .map((f) => (f.fact.kind === 'appointment' && f.fact.start !== undefined ? toMillis(f.fact.start) : f.at));
    for (const f of c.facts) {
      const fact = f.fact;
      if (fact.kind !== 'transition' || fact.transition !== 'discharge' || !fact.mentalHealth || !settings.includes(fact.setting)) continue;
      if (!inWindow(f.at, span)) continue;
      // Follow-up counts from the day after discharge through day `days`, in the patient's local calendar.
      const dischargeDay = startOfWallDay(clock.toWall(f.at));
      const from = clock.fromWall(dischargeDay + DAY);
      const until = clock.fromWall(dischargeDay + (days + 1) * DAY);
      if (until > span.to) {
        censored++;
        continue;
      }
      discharges++;
      if (visits.some((v) => v >= from && v < until)) followedUp++;
    }
  }
  return { discharges, followedUp, censored, rate: ratio(followedUp, discharges) };
}
