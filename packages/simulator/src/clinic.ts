import { DAY, HOUR, MINUTE, type CareTeamMember, type FactInput, type Owner, type Patient, type WorkingWindow } from '@carerelay/core';
import type { SimulationParameters } from './parameters.js';
import { SeededRandom } from './random.js';
import { ZoneTime, addBusinessDays, isBusinessDay, weekdayOf } from './zone-time.js';

/** The tenant id of the simulated clinic. */
export const SIM_TENANT = 'sim-clinic';

/** Staff roles the simulation staffs, in id order. */
export const STAFF_ROLES = ['therapist', 'prescriber', 'case_manager', 'ur_coordinator', 'peer_specialist', 'supervisor'] as const;
/** One of {@link STAFF_ROLES}. */
export type StaffRole = (typeof STAFF_ROLES)[number];

const ID_PREFIX: Record<StaffRole, string> = { therapist: 'ther', prescriber: 'pres', case_manager: 'cm', ur_coordinator: 'ur', peer_specialist: 'peer', supervisor: 'sup' };

/** A planned or sick absence of one staff member. */
export interface AbsencePlan {
  ownerId: string;
  start: number;
  end: number;
  coverOwnerId?: string;
  /** When the EHR records it. */
  recordAt: number;
  kind: 'leave' | 'sick';
}

/** One authorization cycle of a patient: the review (documentation) and the expiry (renewal submission). */
export interface ReviewCycle {
  reviewId: string;
  expiryId: string;
  label: string;
  payer: string;
  reviewDue: number;
  expiryDue: number;
  scheduleAt: number;
  /** The payer denies this renewal for clinical reasons, whatever the documentation. */
  denied: boolean;
}

/** One booked session of a patient with a regular clinician. */
export interface SessionPlan {
  id: string;
  patientId: string;
  ownerId: string;
  role: StaffRole;
  at: number;
  /** Cancelled because the clinician is absent or the patient is in hospital. */
  cancelled: boolean;
  noShow: boolean;
  medicationChange?: FactInput;
  groupEnrollment: boolean;
  phq9?: number;
}

/** A psychiatric inpatient stay. */
export interface StayPlan {
  id: string;
  patientId: string;
  admitAt: number;
  dischargeAt: number;
  medicationChange?: FactInput;
}

/** A referral of a new client. */
export interface ReferralPlan {
  id: string;
  patient: Patient;
  at: number;
  urgency: 'routine' | 'urgent';
  /** When triage assigns the intake owner (in every policy). */
  triageAt: number;
  intakeOwnerId: string;
}

/** A patient in care at the start, with the history the EHR already holds. */
export interface PatientPlan {
  patient: Patient;
  team: CareTeamMember[];
  /** Facts recorded before the run (dated in the past). */
  history: Array<{ at: number; fact: FactInput }>;
  cycles: ReviewCycle[];
}

/** Everything exogenous about the simulated clinic: identical for every policy compared. */
export interface ClinicPlan {
  tenantId: string;
  seed: number;
  start: number;
  days: number;
  end: number;
  staff: Owner[];
  absences: AbsencePlan[];
  patients: PatientPlan[];
  sessions: SessionPlan[];
  stays: StayPlan[];
  referrals: ReferralPlan[];
}

/** Options of {@link planClinic}. */
export interface ClinicOptions {
  seed: number;
  days: number;
  patients: number;
  /** First instant of the run (default Monday 5 January 2026, 00:00 UTC). */
  start?: number;
  parameters: SimulationParameters;
  /** Multiplies the staff counts (for small test clinics); at least one of each role is kept. */
  staffScale?: number;
}

/** Default first instant: Monday 5 January 2026 00:00 UTC (the run crosses the March DST change). */
export const DEFAULT_START = Date.UTC(2026, 0, 5);

const MEDICATIONS: Array<{ name: string; doses: string[] }> = [
  { name: 'sertraline', doses: ['50 mg', '100 mg', '150 mg', '200 mg'] },
  { name: 'escitalopram', doses: ['5 mg', '10 mg', '20 mg'] },
  { name: 'fluoxetine', doses: ['10 mg', '20 mg', '40 mg'] },
  { name: 'bupropion', doses: ['150 mg', '300 mg'] },
  { name: 'aripiprazole', doses: ['2 mg', '5 mg', '10 mg'] },
];
const OTHER_DIAGNOSES = ['depression', 'generalized_anxiety', 'ptsd', 'bipolar'];
const LETTERS = 'ABCDEFGHJKLMNPRSTVW';

/**
 * Draws the clinic: staff with schedules and absences, patients with care teams, authorization cycles, sessions,
 * hospital stays and referrals. Deterministic for `options.seed`; each part draws from its own forked stream.
 */
export function planClinic(options: ClinicOptions): ClinicPlan {
  const p = options.parameters;
  const root = new SeededRandom(options.seed);
  const zones = new ZoneTime();
  const start = options.start ?? DEFAULT_START;
  const end = start + options.days * DAY;
  const staff = planStaff(root.fork('staff'), p, options.staffScale ?? 1);
  const absences = planAbsences(root.fork('absences'), p, staff, zones, start, end);
  const patients = planPatients(root.fork('patients'), p, staff, options.patients, zones, start, end);
  const stays = planStays(root.fork('stays'), p, patients, zones, start, end);
  const sessions = planSessions(root.fork('sessions'), p, staff, patients, absences, stays, zones, start, end);
  const referrals = planReferrals(root.fork('referrals'), p, staff, zones, start, end);
  return { tenantId: SIM_TENANT, seed: options.seed, start, days: options.days, end, staff, absences, patients, sessions, stays, referrals };
}

function byRole(staff: readonly Owner[], role: string): Owner[] {
  return staff.filter((o) => o.role === role);
}

function planStaff(rng: SeededRandom, p: SimulationParameters, scale: number): Owner[] {
  const owners: Owner[] = [];
  const supervisors = Math.max(1, Math.round(p.staff.supervisor * scale));
  let n = 0;
  for (const role of STAFF_ROLES) {
    const count = role === 'supervisor' ? supervisors : Math.max(1, Math.round(p.staff[role] * scale));
    for (let i = 1; i <= count; i++, n++) {
      const id = `${ID_PREFIX[role]}-${String(i).padStart(2, '0')}`;
      const timeZone = rng.weighted(p.zones);
      const kind = rng.weighted({ fullTime: p.schedules.fullTime, fourTens: p.schedules.fourTens, partTime: p.schedules.partTime });
      const workingHours: WorkingWindow[] =
        kind === 'fullTime'
          ? [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: rng.chance(0.5) ? '08:00' : '09:00', durationMinutes: 480 }]
          : kind === 'fourTens'
            ? [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH', start: '07:00', durationMinutes: 600 }]
            : [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,FR', start: '09:00', durationMinutes: 480 }];
      const owner: Owner = {
        tenantId: SIM_TENANT,
        id,
        role,
        timeZone,
        workingHours,
        onCall: [],
        absences: [],
        channels: {},
        contact: {},
        ...(role === 'supervisor' ? {} : { supervisorId: `sup-${String((n % supervisors) + 1).padStart(2, '0')}` }),
      };
      owners.push(owner);
    }
  }
  return owners;
}

/** Local working days (Mon–Sun day numbers) of an owner's schedule, as weekdays 0–6. */
export function workingWeekdays(owner: Owner): number[] {
  const codes: Record<string, number> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
  const days = new Set<number>();
  for (const w of owner.workingHours) {
    const match = /BYDAY=([A-Z,]+)/.exec(w.rrule);
    for (const code of match?.[1]?.split(',') ?? []) days.add(codes[code]!);
  }
  return [...days].sort();
}

/** The owner's (first) working window's start hour and length in hours. */
export function workingSpan(owner: Owner): { startHour: number; hours: number } {
  const w = owner.workingHours[0]!;
  return { startHour: Number(w.start.slice(0, 2)), hours: Math.floor(w.durationMinutes / 60) };
}

function planAbsences(rng: SeededRandom, p: SimulationParameters, staff: readonly Owner[], zones: ZoneTime, start: number, end: number): AbsencePlan[] {
  const absences: AbsencePlan[] = [];
  for (const owner of staff) {
    const weekdays = workingWeekdays(owner);
    const firstDay = zones.localDay(owner.timeZone, start);
    const lastDay = zones.localDay(owner.timeZone, end - 1);
    const leave: Array<[number, number]> = [];
    if (rng.chance(p.plannedLeave.probability)) {
      // A Monday-to-Sunday week starting inside the run.
      const mondays: number[] = [];
      for (let d = firstDay; d <= lastDay - 6; d++) if (weekdayOf(d) === 1) mondays.push(d);
      if (mondays.length > 0) {
        const monday = rng.pick(mondays);
        const colleagues = staff.filter((o) => o.role === owner.role && o.id !== owner.id);
        const s = zones.at(owner.timeZone, monday, 0);
        const e = zones.at(owner.timeZone, monday + 7, 0);
        leave.push([monday, monday + 6]);
        absences.push({
          ownerId: owner.id,
          start: s,
          end: e,
          ...(colleagues.length > 0 ? { coverOwnerId: rng.pick(colleagues).id } : {}),
          recordAt: Math.max(start - DAY, s - p.plannedLeave.recordedDaysAhead * DAY),
          kind: 'leave',
        });
      }
    }
    for (let d = firstDay; d <= lastDay; d++) {
      if (!weekdays.includes(weekdayOf(d))) continue;
      const sick = rng.chance(p.sickDay);
      if (!sick || leave.some(([a, b]) => d >= a && d <= b)) continue;
      const s = zones.at(owner.timeZone, d, 0);
      absences.push({ ownerId: owner.id, start: s, end: zones.at(owner.timeZone, d + 1, 0), recordAt: Math.max(start, zones.at(owner.timeZone, d, 7)), kind: 'sick' });
    }
  }
  return absences.sort((a, b) => a.recordAt - b.recordAt || (a.ownerId < b.ownerId ? -1 : 1));
}

function displayToken(rng: SeededRandom): string {
  return `${rng.pick([...LETTERS])}.${rng.pick([...LETTERS])}. ·${String(rng.int(1000, 9999))}`;
}

/** Picks members of a role round-robin, so caseloads are balanced. */
function roundRobin(owners: readonly Owner[]): () => Owner {
  let i = 0;
  return () => owners[i++ % owners.length]!;
}

function planPatients(rng: SeededRandom, p: SimulationParameters, staff: readonly Owner[], count: number, zones: ZoneTime, start: number, end: number): PatientPlan[] {
  const next = {
    therapist: roundRobin(byRole(staff, 'therapist')),
    prescriber: roundRobin(byRole(staff, 'prescriber')),
    case_manager: roundRobin(byRole(staff, 'case_manager')),
    peer_specialist: roundRobin(byRole(staff, 'peer_specialist')),
    ur_coordinator: roundRobin(byRole(staff, 'ur_coordinator')),
  };
  const plans: PatientPlan[] = [];
  for (let i = 1; i <= count; i++) {
    const id = `pt-${String(i).padStart(4, '0')}`;
    const therapist = next.therapist();
    const adolescent = rng.chance(p.patients.adolescentShare);
    const age = adolescent ? rng.int(12, 17) : rng.int(18, 74);
    const payerPick = rng.weighted(Object.fromEntries(p.patients.payers.map((x) => [x.payer, x.share])));
    const payer = p.patients.payers.find((x) => x.payer === payerPick)!;
    const patient: Patient = { tenantId: SIM_TENANT, id, displayToken: displayToken(rng), timeZone: therapist.timeZone, age, levelOfCare: 'outpatient', programs: [], payer: payer.payer };
    const team: CareTeamMember[] = [{ ownerId: therapist.id, role: 'therapist' }];
    const history: PatientPlan['history'] = [];
    const past = (days: number) => start - days * DAY;
    history.push({ at: past(rng.int(120, 700)), fact: { kind: 'service', service: 'individual_therapy' } });
    if (rng.chance(p.patients.medicationManagement)) {
      team.push({ ownerId: next.prescriber().id, role: 'prescriber' });
      const med = rng.pick(MEDICATIONS);
      history.push({ at: past(rng.int(60, 500)), fact: { kind: 'service', service: 'medication_management' } });
      history.push({ at: past(rng.int(40, 400)), fact: { kind: 'medication_change', medication: med.name, change: 'start', toDose: rng.pick(med.doses) } });
    }
    if (rng.chance(p.patients.groupTherapy)) history.push({ at: past(rng.int(20, 300)), fact: { kind: 'service', service: 'group_therapy' } });
    if (rng.chance(p.patients.caseManager)) team.push({ ownerId: next.case_manager().id, role: 'case_manager' });
    if (rng.chance(p.patients.peerSpecialist)) team.push({ ownerId: next.peer_specialist().id, role: 'peer_specialist' });
    team.push({ ownerId: next.ur_coordinator().id, role: 'ur_coordinator' });
    const category = rng.chance(p.patients.panicDisorder) ? 'panic_disorder' : rng.pick(OTHER_DIAGNOSES);
    history.push({ at: past(rng.int(120, 700)), fact: { kind: 'diagnosis', category } });
    history.push({ at: past(rng.int(5, 60)), fact: { kind: 'measure_score', instrument: 'PHQ-9', score: rng.int(p.patients.phq9[0], p.patients.phq9[1]) } });
    history.sort((a, b) => a.at - b.at);
    plans.push({ patient, team, history, cycles: planCycles(rng, p, id, payer, patient.timeZone, zones, start, end) });
  }
  return plans;
}

function businessDayOnOrAfter(day: number): number {
  return addBusinessDays(day, 0);
}

function planCycles(rng: SeededRandom, p: SimulationParameters, patientId: string, payer: SimulationParameters['patients']['payers'][number], zone: string, zones: ZoneTime, start: number, end: number): ReviewCycle[] {
  const cycles: ReviewCycle[] = [];
  const firstDay = zones.localDay(zone, start);
  let day = businessDayOnOrAfter(firstDay + rng.int(1, payer.cycleDays));
  for (let n = 1; ; n++) {
    const hour = rng.int(9, 16);
    const reviewDue = zones.at(zone, day, hour);
    const scheduleAt = Math.max(start, reviewDue - p.milestones.scheduledDaysAhead * DAY);
    if (scheduleAt >= end) break;
    const expiryDue = zones.at(zone, businessDayOnOrAfter(day + p.milestones.expiryAfterReviewDays), hour);
    cycles.push({
      reviewId: `${patientId}:review-${n}`,
      expiryId: `${patientId}:expiry-${n}`,
      label: payer.label,
      payer: payer.payer,
      reviewDue,
      expiryDue,
      scheduleAt,
      denied: rng.chance(p.milestones.clinicalDenial),
    });
    day = businessDayOnOrAfter(day + payer.cycleDays);
  }
  return cycles;
}

function planStays(rng: SeededRandom, p: SimulationParameters, patients: readonly PatientPlan[], zones: ZoneTime, start: number, end: number): StayPlan[] {
  const stays: StayPlan[] = [];
  const days = (end - start) / DAY;
  for (const plan of patients) {
    const count = rng.poisson((p.milestones.admissionsPer30Days * days) / 30);
    let after = start;
    for (let k = 0; k < count; k++) {
      const admitAt = Math.floor(rng.uniform(after, end) / MINUTE) * MINUTE;
      if (admitAt >= end) break;
      const zone = plan.patient.timeZone;
      const dischargeDay = zones.localDay(zone, admitAt) + rng.int(p.milestones.stayDays[0], p.milestones.stayDays[1]);
      const dischargeAt = zones.at(zone, dischargeDay, rng.int(10, 15));
      const med = medicationOf(plan);
      stays.push({
        id: `${plan.patient.id}:stay-${k + 1}`,
        patientId: plan.patient.id,
        admitAt,
        dischargeAt,
        ...(med && rng.chance(p.milestones.medicationChangeAtDischarge) ? { medicationChange: { kind: 'medication_change', medication: med, change: 'increase' } } : {}),
      });
      after = dischargeAt + 14 * DAY;
      if (after >= end) break;
    }
  }
  return stays;
}

function medicationOf(plan: PatientPlan): string | undefined {
  for (const { fact } of plan.history) if (fact.kind === 'medication_change') return fact.medication;
  return undefined;
}

function planSessions(
  rng: SeededRandom,
  p: SimulationParameters,
  staff: readonly Owner[],
  patients: readonly PatientPlan[],
  absences: readonly AbsencePlan[],
  stays: readonly StayPlan[],
  zones: ZoneTime,
  start: number,
  end: number,
): SessionPlan[] {
  const owners = new Map(staff.map((o) => [o.id, o]));
  const sessions: SessionPlan[] = [];
  const absent = (ownerId: string, at: number) => absences.some((a) => a.ownerId === ownerId && a.start <= at && at < a.end);
  for (const plan of patients) {
    const patientStays = stays.filter((s) => s.patientId === plan.patient.id);
    const inHospital = (at: number) => patientStays.some((s) => s.admitAt <= at && at < s.dischargeAt);
    let dose = doseState(plan);
    let inGroup = plan.history.some((h) => h.fact.kind === 'service' && h.fact.service === 'group_therapy');
    let phq = lastPhq(plan);
    const series: Array<{ member: CareTeamMember; every: number }> = [];
    for (const member of plan.team) {
      if (member.role === 'therapist') series.push({ member, every: rng.chance(p.sessions.therapistEvery14Days) ? 14 : 28 });
      if (member.role === 'prescriber') series.push({ member, every: p.sessions.prescriberEveryDays });
      if (member.role === 'case_manager') series.push({ member, every: p.sessions.caseManagerEveryDays });
      if (member.role === 'peer_specialist') series.push({ member, every: p.sessions.peerEveryDays });
    }
    const planned: SessionPlan[] = [];
    for (const { member, every } of series) {
      const owner = owners.get(member.ownerId)!;
      const weekday = rng.pick(workingWeekdays(owner));
      const span = workingSpan(owner);
      const hour = span.startHour + rng.int(0, span.hours - 1);
      let day = zones.localDay(owner.timeZone, start) + rng.int(0, every - 1);
      while (weekdayOf(day) !== weekday) day++;
      for (let n = 1; ; n++, day += every) {
        const at = zones.at(owner.timeZone, day, hour);
        if (at >= end) break;
        planned.push({ id: `${plan.patient.id}:${member.role}:${n}`, patientId: plan.patient.id, ownerId: owner.id, role: member.role as StaffRole, at, cancelled: absent(owner.id, at) || inHospital(at), noShow: false, groupEnrollment: false });
      }
    }
    planned.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    let therapySessions = 0;
    for (const s of planned) {
      if (s.cancelled) continue;
      s.noShow = rng.chance(p.sessions.noShow);
      if (s.noShow) continue;
      if (s.role === 'prescriber' && dose && rng.chance(p.sessions.medicationChange)) {
        const change = rng.weighted({ increase: 0.6, decrease: 0.2, switch: 0.2 });
        const from = dose.med.doses[dose.index]!;
        if (change === 'switch') {
          const other = rng.pick(MEDICATIONS.filter((m) => m.name !== dose!.med.name));
          dose = { med: other, index: 0 };
          s.medicationChange = { kind: 'medication_change', medication: other.name, change: 'switch', toDose: other.doses[0]! };
        } else {
          const index = Math.max(0, Math.min(dose.med.doses.length - 1, dose.index + (change === 'increase' ? 1 : -1)));
          dose = { med: dose.med, index };
          s.medicationChange = { kind: 'medication_change', medication: dose.med.name, change, fromDose: from, toDose: dose.med.doses[index]! };
        }
      }
      if (s.role === 'therapist') {
        therapySessions++;
        if (!inGroup && plan.patient.age !== undefined && plan.patient.age >= 18 && rng.chance(p.sessions.groupEnrollment)) {
          inGroup = true;
          s.groupEnrollment = true;
        }
        if (therapySessions % p.sessions.phq9EverySessions === 0) {
          phq = Math.max(0, Math.min(27, phq + rng.int(-3, 2)));
          s.phq9 = phq;
        }
      }
    }
    sessions.push(...planned);
  }
  return sessions.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
}

function doseState(plan: PatientPlan): { med: (typeof MEDICATIONS)[number]; index: number } | undefined {
  for (const { fact } of plan.history) {
    if (fact.kind !== 'medication_change') continue;
    const med = MEDICATIONS.find((m) => m.name === fact.medication)!;
    return { med, index: Math.max(0, med.doses.indexOf(fact.toDose ?? med.doses[0]!)) };
  }
  return undefined;
}

function lastPhq(plan: PatientPlan): number {
  let score = 10;
  for (const { fact } of plan.history) if (fact.kind === 'measure_score') score = fact.score;
  return score;
}

function planReferrals(rng: SeededRandom, p: SimulationParameters, staff: readonly Owner[], zones: ZoneTime, start: number, end: number): ReferralPlan[] {
  const zone = 'America/Chicago';
  const intake = roundRobin(byRole(staff, 'case_manager'));
  const referrals: ReferralPlan[] = [];
  const zoneNames = Object.keys(p.zones);
  let n = 0;
  for (let day = zones.localDay(zone, start); zones.at(zone, day, 0) < end; day++) {
    if (!isBusinessDay(day)) continue;
    const count = rng.poisson(p.milestones.referralsPerBusinessDay);
    for (let k = 0; k < count; k++) {
      const at = zones.at(zone, day, rng.int(8, 16), rng.int(0, 59));
      if (at >= end) continue;
      n++;
      const urgency = rng.chance(p.milestones.urgentReferralShare) ? 'urgent' : 'routine';
      const maxDelay = p.milestones.triageMaxBusinessDays[urgency];
      const delayDays = rng.int(0, maxDelay);
      const triageAt = delayDays === 0 ? at + rng.int(1, 4) * HOUR : zones.at(zone, addBusinessDays(day, delayDays), rng.int(8, 16));
      const id = `ref-${String(n).padStart(4, '0')}`;
      const adolescent = rng.chance(p.patients.adolescentShare);
      referrals.push({
        id,
        at,
        urgency,
        triageAt,
        intakeOwnerId: intake().id,
        patient: { tenantId: SIM_TENANT, id, displayToken: displayToken(rng), timeZone: rng.pick(zoneNames), age: adolescent ? rng.int(12, 17) : rng.int(18, 74), programs: [], levelOfCare: 'outpatient' },
      });
    }
  }
  return referrals;
}
