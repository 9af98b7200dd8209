import {
  CalendarCache,
  type CareEvent,
  DAY,
  MINUTE,
  type Owner,
  type Requirement,
  createCoreConfig,
  toInstant,
  toMillis,
} from '@carerelay/core';
import { Agenda } from './agenda.js';
import { type DeliveredNotificationRecord, type OutcomeMetrics, metrics } from '@carerelay/core';
import { Behaviour } from './behaviour.js';
import type { AbsencePlan, ClinicPlan, ReferralPlan, ReviewCycle, SessionPlan, StayPlan } from './clinic.js';
import { workingSpan, workingWeekdays } from './clinic.js';
import type { DeliveredMessage, PolicyName } from './messages.js';
import type { Notifier } from './notifier.js';
import type { SimulationParameters } from './parameters.js';
import { World } from './world.js';
import { ZoneTime, addBusinessDays, isBusinessDay, weekdayOf } from './zone-time.js';

/** Requirements done outside sessions (by rule id); every other requirement is documented in a session note. */
export const TASK_RULES: ReadonlySet<string> = new Set(['expiry.submit-renewal', 'referral.first-contact', 'fuh.follow-up-visit', 'engagement.outreach', 'crisis.safety-plan']);

/** How often the policy's clock ticks, in ms. */
export const TICK_MS = 15 * MINUTE;

/** What one policy's run produced. */
export interface PolicyRun {
  policy: PolicyName;
  /** Every message delivered, in delivery order. */
  messages: DeliveredMessage[];
  /** The clinic's event log, with a `notification.delivered` event per notification delivered. */
  log: CareEvent[];
  /** What each delivered notification carried (the metrics' extra input). */
  records: DeliveredNotificationRecord[];
  metrics: OutcomeMetrics;
  /** Per day of the run: alerts per working clinician (null on days nobody worked). */
  dailyAlertsPerClinician: Array<number | null>;
}

/** The part of a {@link PolicyRun} the report needs (what a worker thread sends back). */
export interface PolicyOutcomeSummary {
  policy: PolicyName;
  metrics: OutcomeMetrics;
  /** Messages delivered over the run. */
  messages: number;
  dailyAlertsPerClinician: Array<number | null>;
}

type Item =
  | { kind: 'tick' }
  | { kind: 'cycle'; patientId: string; cycle: ReviewCycle }
  | { kind: 'session'; session: SessionPlan }
  | { kind: 'absence'; absence: AbsencePlan }
  | { kind: 'admit'; stay: StayPlan }
  | { kind: 'discharge'; stay: StayPlan }
  | { kind: 'referral'; referral: ReferralPlan }
  | { kind: 'triage'; referral: ReferralPlan }
  | { kind: 'due'; patientId: string; milestoneId: string }
  | { kind: 'workday'; ownerId: string; day: number }
  | { kind: 'read'; message: DeliveredMessage; p: number }
  | { kind: 'act'; ownerId: string; patientId: string; requirementId: string; key: string }
  | { kind: 'ur-check'; patientId: string; requirementId: string }
  | { kind: 'ur-prep'; patientId: string; cycle: ReviewCycle }
  | { kind: 'visit'; patientId: string; ownerId: string; requirementId: string; key: string };

/** Options of {@link runPolicy}. */
export interface RunOptions {
  parameters: SimulationParameters;
  /** Called once per simulated day (for progress on standard error). */
  onDay?: (day: number, days: number) => void;
}

/**
 * Runs one policy over the clinic plan: replays the exogenous plan in time order, lets the behaviour model react to
 * the messages the policy delivers, and measures the outcome with the core's `metrics()`.
 */
export async function runPolicy(plan: ClinicPlan, notifier: Notifier, options: RunOptions): Promise<PolicyRun> {
  const p = options.parameters;
  const config = createCoreConfig();
  const calendars = new CalendarCache();
  const world = new World(plan.tenantId, config, calendars);
  const behaviour = new Behaviour(p, plan.seed);
  const zones = new ZoneTime();
  const agenda = new Agenda<Item>();
  const staff = new Map<string, Owner>(plan.staff.map((o) => [o.id, o]));
  const absencesOf = new Map<string, AbsencePlan[]>();
  for (const a of plan.absences) absencesOf.set(a.ownerId, [...(absencesOf.get(a.ownerId) ?? []), a]);
  const expiries = new Map<string, ReviewCycle>();
  const referrals = new Map<string, ReferralPlan>(plan.referrals.map((r) => [r.patient.id, r]));
  const lastDischarge = new Map<string, number>();
  const bookings = new Set<string>();
  /** Reviews past their due instant with items missing: the payer pended them for additional information. */
  const pended = new Map<string, string>();
  /** Open task items, per patient (requirement ids). */
  const taskItems = new Map<string, Set<string>>();
  const messages: DeliveredMessage[] = [];
  const records: DeliveredNotificationRecord[] = [];
  let now = plan.start - 2 * DAY;

  await notifier.attach(world);
  world.onMilestone((patientId, milestone) => agenda.add(Math.max(toMillis(milestone.dueAt), now), { kind: 'due', patientId, milestoneId: milestone.id }));
  world.onEvent((event) => {
    if (!('patientId' in event) || event.type === 'notification.delivered') return;
    const state = world.cases.get(event.patientId)!;
    const open = new Set<string>();
    for (const r of Object.values(state.requirements)) {
      if (r.status === 'open' && TASK_RULES.has(r.ruleId) && state.milestones[r.milestoneId]?.status === 'scheduled') open.add(r.id);
    }
    if (open.size > 0) taskItems.set(event.patientId, open);
    else taskItems.delete(event.patientId);
  });

  /** The first instant at or after `t` when the owner works and is not absent. */
  const nextPresent = (ownerId: string, t: number): number => {
    const owner = staff.get(ownerId);
    if (!owner) return t;
    const calendar = calendars.working(owner);
    let at = t;
    for (let guard = 0; guard < 60; guard++) {
      const w = calendar.nextWorkingInstant(at);
      if (w === undefined) return at;
      const absence = absencesOf.get(ownerId)?.find((a) => a.start <= w && w < a.end);
      if (!absence) return w;
      at = absence.end;
    }
    return at;
  };
  const isAbsent = (ownerId: string, t: number) => absencesOf.get(ownerId)?.some((a) => a.start <= t && t < a.end) ?? false;
  const requirementOf = (patientId: string, requirementId: string): Requirement | undefined => world.cases.get(patientId)?.requirements[requirementId];
  const isOpen = (patientId: string, requirementId: string): boolean => {
    const r = requirementOf(patientId, requirementId);
    return r?.status === 'open' && world.cases.get(patientId)?.milestones[r.milestoneId]?.status === 'scheduled';
  };
  /** Whether a kept visit would meet an open milestone (the engine's rule: follow-up, first contact, engagement). */
  const visitMeetsSomething = (patientId: string) =>
    Object.values(world.cases.get(patientId)?.milestones ?? {}).some((m) => m.status === 'scheduled' && (m.kind === 'discharge_follow_up' || m.kind === 'referral_first_contact' || m.kind === 'engagement_check'));
  const relevant = (patientId: string) => world.isActive(patientId) || now - (lastDischarge.get(patientId) ?? -Infinity) < 8 * DAY;

  // ── Setup: staff, then patients with their history, before the run starts ─────────────────────────────
  for (const owner of plan.staff) world.record({ id: `owner-${owner.id}`, type: 'owner.upserted', at: plan.start - 2 * DAY, owner });
  for (const pp of plan.patients) {
    const id = pp.patient.id;
    const at = plan.start - DAY;
    world.record({ id: `${id}-registered`, type: 'patient.registered', at, patientId: id, patient: pp.patient });
    pp.team.forEach((member, i) => world.record({ id: `${id}-team-${i}`, type: 'careteam.assigned', at, patientId: id, member }));
    pp.history.forEach((h, i) => world.record({ id: `${id}-history-${i}`, type: 'fact.recorded', at: h.at, patientId: id, fact: h.fact }));
    for (const cycle of pp.cycles) {
      expiries.set(cycle.expiryId, cycle);
      agenda.add(cycle.scheduleAt, { kind: 'cycle', patientId: id, cycle });
    }
  }
  await notifier.flush(plan.start - DAY);
  now = plan.start;

  for (let t = plan.start; t < plan.end; t += TICK_MS) agenda.add(t, { kind: 'tick' });
  for (const session of plan.sessions) agenda.add(session.at, { kind: 'session', session });
  for (const absence of plan.absences) agenda.add(Math.max(absence.recordAt, plan.start), { kind: 'absence', absence });
  for (const stay of plan.stays) {
    agenda.add(stay.admitAt, { kind: 'admit', stay });
    agenda.add(stay.dischargeAt, { kind: 'discharge', stay });
  }
  for (const referral of plan.referrals) agenda.add(referral.at, { kind: 'referral', referral });
  for (const owner of plan.staff) {
    const weekdays = workingWeekdays(owner);
    const span = workingSpan(owner);
    for (let day = zones.localDay(owner.timeZone, plan.start); zones.at(owner.timeZone, day, 0) < plan.end; day++) {
      if (!weekdays.includes(weekdayOf(day))) continue;
      const at = zones.at(owner.timeZone, day, span.startHour + 1);
      if (at >= plan.start && at < plan.end && !isAbsent(owner.id, at)) agenda.add(at, { kind: 'workday', ownerId: owner.id, day });
    }
  }

  // ── Actions ───────────────────────────────────────────────────────────────────────────────────────────────
  const note = (ownerId: string, patientId: string, addresses: string[], key: string, awareness: Map<string, number>) => {
    const noteId = `note-${key}`;
    world.record({ id: world.nextId('evt'), type: 'note.signed', at: now, patientId, noteId, ownerId, addresses }, { coordinates: addresses.length > 0 });
    closePendedReviews(patientId);
    for (const requirementId of addresses) {
      const r = requirementOf(patientId, requirementId)!;
      if (TASK_RULES.has(r.ruleId)) continue;
      if (behaviour.draw(behaviour.insufficientProbability(awareness.get(requirementId) ?? 0), 'insufficient', key, requirementId)) {
        agenda.add(urCheckAt(patientId), { kind: 'ur-check', patientId, requirementId });
      }
    }
  };
  const closePendedReviews = (patientId: string) => {
    for (const [reviewId, pid] of pended) {
      if (pid !== patientId) continue;
      const state = world.cases.get(patientId)!;
      const work = Object.values(state.requirements).filter((r) => r.milestoneId === reviewId && r.status !== 'withdrawn');
      if (work.every((r) => r.status === 'satisfied' || r.status === 'waived')) {
        pended.delete(reviewId);
        world.record({ id: `${reviewId}-milestone.met`, type: 'milestone.met', at: now, patientId, milestoneId: reviewId });
      }
    }
  };
  /** The UR coordinator asks each owner of a missing review item directly (every policy; not an alert). */
  const urChase = (patientId: string, reviewId: string, decision: string) => {
    const ur = world.ownerOf(patientId, 'ur_coordinator', now);
    if (!ur || isAbsent(ur.ownerId, now)) return;
    if (!behaviour.draw(p.behaviour.urPacketCheck.probability, decision, reviewId)) return;
    for (const open of world.openItems(patientId)) {
      if (open.milestone.id !== reviewId) continue;
      const owner = world.ownerOf(patientId, open.requirement.role, now);
      if (!owner) continue;
      behaviour.name(owner.ownerId, open.requirement.id, now);
      if (behaviour.draw(p.behaviour.urPacketCheck.actNow, `${decision}-ask`, open.requirement.id)) {
        agenda.add(nextPresent(owner.ownerId, now), { kind: 'act', ownerId: owner.ownerId, patientId, requirementId: open.requirement.id, key: `${decision}-${open.requirement.id}` });
      }
    }
  };
  const urCheckAt = (patientId: string): number => {
    const zone = world.cases.get(patientId)?.patient?.timeZone ?? 'UTC';
    let t = now + DAY;
    while (!isBusinessDay(zones.localDay(zone, t))) t += DAY;
    return t;
  };
  const performTask = (ownerId: string, patientId: string, r: Requirement, key: string) => {
    if (r.ruleId === 'fuh.follow-up-visit') {
      if (bookings.has(r.id)) return;
      bookings.add(r.id);
      const zone = world.cases.get(patientId)?.patient?.timeZone ?? 'UTC';
      const [lo, hi] = p.milestones.followUpVisitBusinessDays;
      const k = lo + Math.floor(behaviourUniform('visit-day', key) * (hi - lo + 1));
      agenda.add(zones.at(zone, addBusinessDays(zones.localDay(zone, now), k), 11), { kind: 'visit', patientId, ownerId, requirementId: r.id, key });
      return;
    }
    if (r.ruleId === 'referral.first-contact') {
      world.record({ id: world.nextId('evt'), type: 'fact.recorded', at: now, patientId, fact: { kind: 'appointment', appointmentId: `${r.id}:contact`, status: 'kept', start: toInstant(now), ownerId } });
    }
    note(ownerId, patientId, [r.id], key, new Map());
  };
  const behaviourUniform = (decision: string, key: string) => (behaviour.draw(0.5, decision, key) ? 0.75 : 0.25);
  const deliver = (message: DeliveredMessage) => {
    messages.push(message);
    for (const n of message.notifications) {
      records.push({ id: n.id, recipientId: message.recipientId, items: n.items.map((i) => ({ requirementId: i.requirementId, ownerId: i.ownerId })), messageId: message.id, ...(n.escalatedOwnerId === undefined ? {} : { escalatedOwnerId: n.escalatedOwnerId }) });
      world.record({ id: `dlv-${n.id}`, type: 'notification.delivered', at: message.at, patientId: n.patientId, notificationId: n.id, channel: 'in_app' });
    }
    const recipient = staff.get(message.recipientId);
    if (!recipient) return;
    const probability = behaviour.readProbability(message, zones.localDay(recipient.timeZone, message.at));
    agenda.add(nextPresent(recipient.id, message.at), { kind: 'read', message, p: probability });
  };

  // ── Handlers ──────────────────────────────────────────────────────────────────────────────────────────────
  const handle = async (item: Item): Promise<void> => {
    switch (item.kind) {
      case 'tick': {
        for (const message of await notifier.tick(now)) deliver(message);
        return;
      }
      case 'cycle': {
        const { cycle, patientId } = item;
        world.record({ id: `${cycle.reviewId}-scheduled`, type: 'milestone.scheduled', at: now, patientId, milestone: { id: cycle.reviewId, kind: 'authorization_review', dueAt: toInstant(cycle.reviewDue), label: cycle.label, payer: cycle.payer } });
        world.record({ id: `${cycle.expiryId}-scheduled`, type: 'milestone.scheduled', at: now, patientId, milestone: { id: cycle.expiryId, kind: 'authorization_expiry', dueAt: toInstant(cycle.expiryDue), label: 'Authorization expiry', payer: cycle.payer } });
        const zone = world.cases.get(patientId)?.patient?.timeZone ?? 'UTC';
        let day = zones.localDay(zone, cycle.reviewDue);
        for (let left = p.behaviour.urPacketCheck.businessDaysBefore; left > 0; ) if (isBusinessDay(--day)) left--;
        agenda.add(Math.max(now, zones.at(zone, day, 10)), { kind: 'ur-prep', patientId, cycle });
        return;
      }
      case 'session':
        return session(item.session);
      case 'absence': {
        const a = item.absence;
        world.record({ id: `absence-${a.ownerId}-${a.start}`, type: 'owner.absence', at: now, ownerId: a.ownerId, absence: { start: toInstant(a.start), end: toInstant(a.end), ...(a.coverOwnerId === undefined ? {} : { coverOwnerId: a.coverOwnerId }) } });
        return;
      }
      case 'admit':
        world.record({ id: `${item.stay.id}-admit`, type: 'fact.recorded', at: now, patientId: item.stay.patientId, fact: { kind: 'transition', transition: 'admission', setting: 'inpatient', encounterId: item.stay.id } });
        return;
      case 'discharge': {
        const { stay } = item;
        if (stay.medicationChange) world.record({ id: `${stay.id}-med`, type: 'fact.recorded', at: now, patientId: stay.patientId, fact: stay.medicationChange });
        world.record({ id: `${stay.id}-discharge`, type: 'fact.recorded', at: now, patientId: stay.patientId, fact: { kind: 'transition', transition: 'discharge', setting: 'inpatient', encounterId: stay.id } });
        lastDischarge.set(stay.patientId, now);
        return;
      }
      case 'referral': {
        const r = item.referral;
        world.record({ id: `${r.id}-registered`, type: 'patient.registered', at: now, patientId: r.patient.id, patient: r.patient });
        world.record({ id: `${r.id}-referral`, type: 'fact.recorded', at: now, patientId: r.patient.id, fact: { kind: 'referral', referralId: r.id, urgency: r.urgency } });
        agenda.add(r.triageAt, { kind: 'triage', referral: r });
        return;
      }
      case 'triage':
        assignIntake(item.referral);
        return;
      case 'due':
        return due(item.patientId, item.milestoneId);
      case 'workday':
        return workday(item.ownerId, item.day);
      case 'read':
        return read(item.message, item.p);
      case 'act': {
        const r = requirementOf(item.patientId, item.requirementId);
        if (!r || !isOpen(item.patientId, r.id) || isAbsent(item.ownerId, now)) return;
        if (world.ownerOf(item.patientId, r.role, now)?.ownerId !== item.ownerId) return;
        if (TASK_RULES.has(r.ruleId)) performTask(item.ownerId, item.patientId, r, item.key);
        else note(item.ownerId, item.patientId, [r.id], item.key, new Map([[r.id, behaviour.awareness(item.ownerId, r.id, now)]]));
        return;
      }
      case 'ur-check': {
        const r = requirementOf(item.patientId, item.requirementId);
        const milestone = r && world.cases.get(item.patientId)?.milestones[r.milestoneId];
        if (!r || r.status !== 'satisfied' || milestone?.status !== 'scheduled') return;
        world.record({ id: world.nextId('evt'), type: 'requirement.reopened', at: now, patientId: item.patientId, requirementId: r.id, reason: 'insufficient documentation' });
        const owner = world.ownerOf(item.patientId, r.role, now);
        if (owner) behaviour.name(owner.ownerId, r.id, now);
        return;
      }
      case 'ur-prep': {
        const review = world.cases.get(item.patientId)?.milestones[item.cycle.reviewId];
        if (review?.status === 'scheduled') urChase(item.patientId, item.cycle.reviewId, 'ur-prep');
        return;
      }
      case 'visit': {
        bookings.delete(item.requirementId);
        const kept = behaviour.draw(p.milestones.followUpVisitKept, 'visit-kept', item.key);
        world.record({ id: world.nextId('evt'), type: 'fact.recorded', at: now, patientId: item.patientId, fact: { kind: 'appointment', appointmentId: `visit-${item.key}`, status: kept ? 'kept' : 'no_show', start: toInstant(now), ownerId: item.ownerId } });
        if (kept && requirementOf(item.patientId, item.requirementId)?.status === 'open') {
          note(item.ownerId, item.patientId, [item.requirementId], item.key, new Map());
        }
        return;
      }
    }
  };

  const assignIntake = (r: ReferralPlan) => {
    const state = world.cases.get(r.patient.id);
    if (!state || state.careTeam.some((m) => m.role === 'intake')) return;
    world.record({ id: world.nextId('evt'), type: 'careteam.assigned', at: now, patientId: r.patient.id, member: { ownerId: r.intakeOwnerId, role: 'intake' } });
  };

  const session = (s: SessionPlan) => {
    if (s.cancelled) return;
    const appointment = (status: 'kept' | 'no_show') => ({ kind: 'appointment', appointmentId: s.id, status, start: toInstant(s.at), ownerId: s.ownerId });
    if (s.noShow) {
      world.record({ id: `${s.id}-no-show`, type: 'fact.recorded', at: now, patientId: s.patientId, fact: appointment('no_show') });
      return;
    }
    if (s.medicationChange) world.record({ id: `${s.id}-med`, type: 'fact.recorded', at: now, patientId: s.patientId, fact: s.medicationChange });
    if (s.groupEnrollment) world.record({ id: `${s.id}-group`, type: 'fact.recorded', at: now, patientId: s.patientId, fact: { kind: 'service', service: 'group_therapy' } });
    if (s.phq9 !== undefined) world.record({ id: `${s.id}-phq9`, type: 'fact.recorded', at: now, patientId: s.patientId, fact: { kind: 'measure_score', instrument: 'PHQ-9', score: s.phq9 } });
    if (!relevant(s.patientId)) return;
    world.record({ id: `${s.id}-kept`, type: 'fact.recorded', at: now, patientId: s.patientId, fact: appointment('kept') }, { coordinates: visitMeetsSomething(s.patientId) });
    const awareness = new Map<string, number>();
    const addresses: string[] = [];
    for (const item of world.openItems(s.patientId)) {
      const r = item.requirement;
      if (TASK_RULES.has(r.ruleId) || world.ownerOf(s.patientId, r.role, now)?.ownerId !== s.ownerId) continue;
      const a = behaviour.awareness(s.ownerId, r.id, now);
      awareness.set(r.id, a);
      if (behaviour.draw(behaviour.documentProbability(a), 'document', s.id, r.id)) addresses.push(r.id);
    }
    note(s.ownerId, s.patientId, addresses, s.id, awareness);
  };

  const due = (patientId: string, milestoneId: string) => {
    const state = world.cases.get(patientId)!;
    const m = state.milestones[milestoneId];
    if (!m || m.status !== 'scheduled') return;
    const work = Object.values(state.requirements).filter((r) => r.milestoneId === milestoneId && r.status !== 'withdrawn');
    const done = (r: Requirement) => r.status === 'satisfied' || r.status === 'waived';
    const close = (type: 'milestone.met' | 'milestone.missed' | 'milestone.renewed'): void => {
      world.record({ id: `${milestoneId}-${type}`, type, at: now, patientId, milestoneId });
    };
    if (m.kind === 'authorization_review') {
      if (work.every(done)) return close('milestone.met');
      // Items missing at the review: the payer pends it for additional information until the authorization expires.
      pended.set(milestoneId, patientId);
      urChase(patientId, milestoneId, 'ur-pend');
      return;
    }
    if (m.kind === 'authorization_expiry') {
      const cycle = expiries.get(milestoneId)!;
      if (pended.delete(cycle.reviewId)) world.record({ id: `${cycle.reviewId}-milestone.missed`, type: 'milestone.missed', at: now, patientId, milestoneId: cycle.reviewId });
      const review = world.cases.get(patientId)!.milestones[cycle.reviewId];
      const renewed = review?.status === 'met' && work.every(done) && !cycle.denied;
      return close(renewed ? 'milestone.renewed' : 'milestone.missed');
    }
    // Referral, engagement: the work done (contact made, outreach held) meets it; a follow-up needs a kept visit.
    close(m.kind !== 'discharge_follow_up' && work.length > 0 && work.every(done) ? 'milestone.met' : 'milestone.missed');
  };

  const workday = (ownerId: string, day: number) => {
    const items = [...taskItems].flatMap(([patientId, ids]) => [...ids].map((requirementId) => ({ patientId, requirementId })));
    for (const { patientId, requirementId } of items) {
      const r = requirementOf(patientId, requirementId);
      if (!r || bookings.has(r.id) || !isOpen(patientId, r.id)) continue;
      if (world.ownerOf(patientId, r.role, now)?.ownerId !== ownerId) continue;
      const a = behaviour.awareness(ownerId, r.id, now);
      if (behaviour.draw(behaviour.taskProbability(a), 'task', r.id, day)) performTask(ownerId, patientId, r, `task-${r.id}-${day}`);
    }
  };

  const read = (message: DeliveredMessage, probability: number) => {
    if (!behaviour.draw(probability, 'read', message.id, message.recipientId)) return;
    const recipient = message.recipientId;
    for (const n of message.notifications) {
      for (const item of n.items) {
        if (item.ownerId === recipient) {
          behaviour.name(recipient, item.requirementId, now);
          if (behaviour.draw(behaviour.actNowProbability(n.level), 'act', message.id, item.requirementId)) {
            agenda.add(now, { kind: 'act', ownerId: recipient, patientId: item.patientId, requirementId: item.requirementId, key: `act-${message.id}-${item.requirementId}` });
          }
          const referral = referrals.get(item.patientId);
          const r = requirementOf(item.patientId, item.requirementId);
          if (referral && r?.role === 'intake' && behaviour.draw(p.milestones.coordinatorAssigns, 'assign', message.id, item.requirementId)) assignIntake(referral);
        } else if (n.escalatedOwnerId !== undefined && item.ownerId === n.escalatedOwnerId) {
          behaviour.name(item.ownerId, item.requirementId, now);
          if (behaviour.draw(behaviour.actNowProbability('supervisor'), 'escalated', message.id, item.requirementId)) {
            agenda.add(nextPresent(item.ownerId, now), { kind: 'act', ownerId: item.ownerId, patientId: item.patientId, requirementId: item.requirementId, key: `esc-${message.id}-${item.requirementId}` });
          }
        }
      }
    }
  };

  // ── The run ───────────────────────────────────────────────────────────────────────────────────────────────
  let reportedDay = -1;
  for (let entry = agenda.pop(); entry !== undefined; entry = agenda.pop()) {
    if (entry.at >= plan.end) break;
    if (entry.at > now) {
      await notifier.flush(now);
      now = entry.at;
      const day = Math.floor((now - plan.start) / DAY);
      if (day !== reportedDay) {
        reportedDay = day;
        options.onDay?.(day, plan.days);
      }
    }
    await handle(entry.item);
  }
  await notifier.flush(now);
  await notifier.close();

  const window = { from: toInstant(plan.start), to: toInstant(plan.end) };
  const outcome = metrics(world.log, window, { config, notifications: records, authorizationKinds: ['authorization_expiry'] });
  return { policy: notifier.policy, messages, log: world.log, records, metrics: outcome, dailyAlertsPerClinician: dailySeries(plan, messages, absencesOf, zones) };
}

/** Alerts per working clinician on each day of the run (days counted in each clinician's own zone). */
function dailySeries(plan: ClinicPlan, messages: readonly DeliveredMessage[], absencesOf: Map<string, AbsencePlan[]>, zones: ZoneTime): Array<number | null> {
  const alerts = new Array<number>(plan.days).fill(0);
  const working = new Array<number>(plan.days).fill(0);
  const owners = new Map(plan.staff.map((o) => [o.id, o]));
  for (const owner of plan.staff) {
    const first = zones.localDay(owner.timeZone, plan.start);
    const weekdays = workingWeekdays(owner);
    const span = workingSpan(owner);
    for (let i = 0; i < plan.days; i++) {
      const day = first + i;
      const at = zones.at(owner.timeZone, day, span.startHour + 1);
      if (weekdays.includes(weekdayOf(day)) && !(absencesOf.get(owner.id) ?? []).some((a) => a.start <= at && at < a.end)) working[i]!++;
    }
  }
  const seen = new Set<string>();
  for (const m of messages) {
    const owner = owners.get(m.recipientId);
    if (!owner) continue;
    const key = `${m.recipientId}\u0000${m.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const i = zones.localDay(owner.timeZone, m.at) - zones.localDay(owner.timeZone, plan.start);
    if (i >= 0 && i < plan.days) alerts[i]!++;
  }
  return alerts.map((n, i) => (working[i]! === 0 ? null : n / working[i]!));
}
