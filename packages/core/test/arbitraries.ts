/**
 * fast-check arbitraries for the invariant properties: escalation policies (valid by construction), owners with
 * weekly working-hour RRULE windows in DST-changing zones, care teams with unfilled roles and absences with covers,
 * patients, milestones whose deadlines cluster around DST transitions, and timed event sequences (notes signing
 * subsets, waivers, reopenings, renewals, cancellations, medication changes, acknowledgements, policy edits)
 * interleaved with planning instants.
 *
 * Every generated value is a plain record with named fields, so a shrunk counterexample reads like a story.
 */
import fc from 'fast-check';
import {
  type CareEventInput,
  type CareTeamMember,
  DEFAULT_RULE_PACK,
  type EscalationPolicyInput,
  type FactInput,
  type MilestoneKind,
  type OwnerInput,
  type PatientInput,
  type RulePackInput,
  type WorkingWindow,
  RulePackSchema,
} from '@carerelay/core';

/** The tenant every generated record belongs to. */
export const TENANT = 'tenant-prop';

/** Zones the properties run in: UTC, two one-hour DST zones, a 30-minute DST zone, a 45-minute-offset DST zone, a no-DST half-hour zone. */
export const ZONES = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata'] as const;
/** One of {@link ZONES}. */
export type Zone = (typeof ZONES)[number];

/**
 * The 2026 DST transitions of the DST-changing zones, as UTC instants (checked against the runtime's tz database by
 * `invariants/arbitraries.test.ts`). Zones without DST borrow every transition, so their owners still see deadlines
 * near other people's transitions.
 */
export const DST_TRANSITIONS_2026: Readonly<Record<Exclude<Zone, 'UTC' | 'Asia/Kolkata'>, readonly string[]>> = {
  'America/New_York': ['2026-03-08T07:00:00.000Z', '2026-11-01T06:00:00.000Z'],
  'Europe/London': ['2026-03-29T01:00:00.000Z', '2026-10-25T01:00:00.000Z'],
  'Australia/Lord_Howe': ['2026-04-04T15:00:00.000Z', '2026-10-03T15:30:00.000Z'],
  'Pacific/Chatham': ['2026-04-04T14:00:00.000Z', '2026-09-26T14:00:00.000Z'],
};
const ALL_TRANSITIONS = Object.values(DST_TRANSITIONS_2026).flat();

/** Roles generated owners hold (crisis_clinician is left out: it routes by on-call rotation, not by team). */
export const OWNER_ROLES = ['therapist', 'prescriber', 'case_manager', 'ur_coordinator', 'peer_specialist', 'intake', 'supervisor'] as const;

/**
 * A small rule pack for `custom` milestones: one unconditional item per clinical role, plus two that depend on
 * medication facts (so medication changes make requirements appear and get withdrawn).
 */
export const PROPERTY_RULE_PACK_DATA = {
  id: 'property-pack',
  version: '1',
  ruleSets: [
    {
      milestoneKind: 'custom',
      rules: [
        { id: 'custom.therapist', role: 'therapist', summary: 'Therapist item', template: 'therapist item', reason: 'property pack' },
        { id: 'custom.prescriber', role: 'prescriber', summary: 'Prescriber item', template: 'prescriber item', reason: 'property pack' },
        { id: 'custom.case', role: 'case_manager', summary: 'Case-manager item', template: 'case-manager item', reason: 'property pack' },
        { id: 'custom.peer', role: 'peer_specialist', summary: 'Peer item', template: 'peer item', reason: 'property pack' },
        { id: 'custom.intake', role: 'intake', summary: 'Intake item', template: 'intake item', reason: 'property pack' },
        { id: 'custom.med-change', role: 'therapist', summary: 'Recent medication change', template: 'adherence since {medication} change', reason: 'property pack', conditions: [{ kind: 'medication_changed_within', days: 14 }] },
        { id: 'custom.on-med', role: 'prescriber', summary: 'Current medication', template: 'response to {medication} {dose}', reason: 'property pack', conditions: [{ kind: 'on_medication' }] },
      ],
    },
  ],
} satisfies RulePackInput;
/** {@link PROPERTY_RULE_PACK_DATA}, validated. */
export const PROPERTY_RULE_PACK = RulePackSchema.parse(PROPERTY_RULE_PACK_DATA);

/** Milestone kinds generated (custom twice as often: it has the most roles). */
export const MILESTONE_KINDS_USED: readonly MilestoneKind[] = ['custom', 'custom', 'authorization_review', 'authorization_expiry', 'measurement_due', 'engagement_check', 'discharge_follow_up'];

/** Every rule id that could produce a requirement for a milestone of `kind` (from the default and property packs). */
export function ruleIdsFor(kind: MilestoneKind): string[] {
  return [DEFAULT_RULE_PACK, PROPERTY_RULE_PACK].flatMap((pack) => pack.ruleSets.filter((s) => s.milestoneKind === kind).flatMap((s) => s.rules.map((r) => r.id)));
}

const MINUTE = 60_000;
const DAY_MIN = 24 * 60;
const DAY = DAY_MIN * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------------------------
// Escalation policies
// ---------------------------------------------------------------------------------------------------------------

const OWNER_LEVELS = ['notice', 'reminder', 'urgent'] as const;
const rank = (level: string) => ['notice', 'reminder', 'urgent', 'supervisor', 'critical'].indexOf(level);

/**
 * A policy valid by construction: 1–4 owner steps before the deadline (offsets sorted, levels never decreasing),
 * 0–2 supervisor escalations at or after the deadline, and sometimes a final critical step that repeats until
 * acknowledged (to the owner at any offset after the others, to the supervisor only at or after the deadline). Offsets are in quarter hours so counterexamples stay readable.
 */
export function policyArb(id: string): fc.Arbitrary<EscalationPolicyInput> {
  return fc
    .record({
      ownerSteps: fc.array(
        fc.record({ offsetQuarterHours: fc.integer({ min: -10 * 96, max: -1 }), level: fc.constantFrom(...OWNER_LEVELS) }),
        { minLength: 1, maxLength: 4 },
      ),
      supervisorOffsetsQuarterHours: fc.array(fc.integer({ min: 0, max: 2 * 96 }), { maxLength: 2 }),
      criticalStep: fc.option(
        fc.record({
          offsetQuarterHours: fc.integer({ min: -2 * 96, max: 2 * 96 }),
          recipient: fc.constantFrom('owner' as const, 'supervisor' as const),
          repeatEveryMinutes: fc.integer({ min: 5, max: 240 }),
          maxRepeats: fc.integer({ min: 0, max: 4 }),
        }),
        { freq: 3 },
      ),
      digestWindowMinutes: fc.constantFrom(0, 15, 60, 240),
      dailyBudget: fc.integer({ min: 1, max: 6 }),
    })
    .map(({ ownerSteps, supervisorOffsetsQuarterHours, criticalStep, digestWindowMinutes, dailyBudget }) => {
      const offsets = ownerSteps.map((s) => s.offsetQuarterHours * 15).sort((a, b) => a - b);
      const levels = ownerSteps.map((s) => s.level).sort((a, b) => rank(a) - rank(b));
      const steps: NonNullable<EscalationPolicyInput['steps']> = offsets.map((offsetMinutes, i) => ({ id: `s${i}-${levels[i]}`, offsetMinutes, level: levels[i]! }));
      [...supervisorOffsetsQuarterHours]
        .sort((a, b) => a - b)
        .forEach((q, i) => steps.push({ id: `sup${i}`, offsetMinutes: q * 15, level: 'supervisor', recipient: 'supervisor', channels: ['in_app', 'email'] }));
      if (criticalStep) {
        const last = steps[steps.length - 1]!.offsetMinutes;
        // A step to the supervisor escalates overdue work, so it sits at or after the deadline (see DESIGN §3.2).
        const earliest = criticalStep.recipient === 'supervisor' ? Math.max(last, 0) : last;
        steps.push({
          id: 'page',
          offsetMinutes: Math.max(earliest, criticalStep.offsetQuarterHours * 15),
          level: 'critical',
          critical: true,
          recipient: criticalStep.recipient,
          repeatEveryMinutes: criticalStep.repeatEveryMinutes,
          maxRepeats: criticalStep.maxRepeats,
        });
      }
      return { id, steps, digestWindowMinutes, dailyBudget };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Working hours and owners
// ---------------------------------------------------------------------------------------------------------------

const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Start times that sit on or next to DST transitions (02:00 in New York/Lord Howe, 01:00 in London, 02:45 in Chatham). */
const EDGE_STARTS = ['00:00', '01:00', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45', '03:00', '03:30', '22:00', '23:30'];

/** One weekly window: a BYDAY set, a local start time and a duration of up to 16 hours (so some run past midnight). */
export const workingWindowArb: fc.Arbitrary<WorkingWindow> = fc
  .record({
    days: fc.subarray([...DAYS], { minLength: 1 }),
    start: fc.oneof(fc.constantFrom(...EDGE_STARTS), fc.integer({ min: 0, max: 95 }).map((q) => hhmm(q * 15))),
    durationMinutes: fc.integer({ min: 1, max: 64 }).map((q) => q * 15),
  })
  .map(({ days, start, durationMinutes }) => ({ rrule: `FREQ=WEEKLY;BYDAY=${days.join(',')}`, start, durationMinutes }));

const OFFICE: WorkingWindow[] = [{ rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '09:00', durationMinutes: 480 }];
const SPLIT_SHIFT: WorkingWindow[] = [
  { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '08:00', durationMinutes: 240 },
  { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR', start: '13:00', durationMinutes: 240 },
];
const NIGHT_SHIFT: WorkingWindow[] = [{ rrule: 'FREQ=WEEKLY;BYDAY=SU,MO,TU,WE,TH', start: '22:00', durationMinutes: 600 }];
const WEEKEND_EARLY: WorkingWindow[] = [{ rrule: 'FREQ=WEEKLY;BYDAY=SA,SU', start: '01:30', durationMinutes: 120 }];

/** Working hours: office, split shift (a gap at lunch), night shift, a weekend-only window over the DST hour, random windows, or none (always working). */
export const workingHoursArb: fc.Arbitrary<WorkingWindow[]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(OFFICE) },
  { weight: 1, arbitrary: fc.constant(SPLIT_SHIFT) },
  { weight: 1, arbitrary: fc.constant(NIGHT_SHIFT) },
  { weight: 1, arbitrary: fc.constant(WEEKEND_EARLY) },
  { weight: 4, arbitrary: fc.array(workingWindowArb, { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constant<WorkingWindow[]>([]) },
);

/** A time zone, with `bias` chosen most of the time. */
function zoneArb(bias: Zone): fc.Arbitrary<Zone> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(bias) }, { weight: 2, arbitrary: fc.constantFrom(...ZONES) });
}

/** A generated owner (before defaults): the fields the properties vary. */
export interface GeneratedOwner {
  id: string;
  role: (typeof OWNER_ROLES)[number];
  timeZone: Zone;
  workingHours: WorkingWindow[];
  supervisorId?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Patients, milestones and events
// ---------------------------------------------------------------------------------------------------------------

/** A milestone and when it is scheduled (possibly after some of its steps' times, or even after its deadline). */
export interface GeneratedMilestone {
  id: string;
  kind: MilestoneKind;
  dueAt: string;
  scheduledAt: string;
  /** A generated policy id, `crisis`, or undefined (the default ladder). */
  policyId?: string;
  critical: boolean;
}

/** A patient with a care team (a subset of the directory: some roles are left unfilled), facts at intake and milestones. */
export interface GeneratedPatient {
  id: string;
  timeZone: Zone;
  age: number;
  team: CareTeamMember[];
  facts: FactInput[];
  milestones: GeneratedMilestone[];
}

/** One timed input: a concrete event, an acknowledgement of the latest unacknowledged critical page, or a policy edit. */
export type Action =
  | { kind: 'event'; event: CareEventInput }
  | { kind: 'ack'; at: string }
  | { kind: 'policy'; at: string; policy: EscalationPolicyInput };

/** Everything one simulated run needs. */
export interface World {
  /** The zone whose DST transition the deadlines cluster around. */
  zone: Zone;
  /** A DST transition instant; deadlines fall within three days of it. */
  anchor: string;
  /** First and last instants of the run. */
  start: string;
  end: string;
  policies: EscalationPolicyInput[];
  owners: GeneratedOwner[];
  patients: GeneratedPatient[];
  /** Timed inputs after setup, in any order (the driver sorts them stably by time). */
  actions: Action[];
  /** Extra planning instants (the driver also plans after every input and at every `nextWakeAt`). */
  planAt: string[];
}

const FACT_CHOICES: FactInput[] = [
  { kind: 'diagnosis', category: 'panic_disorder' },
  { kind: 'service', service: 'group_therapy' },
  { kind: 'service', service: 'individual_therapy' },
  { kind: 'service', service: 'medication_management' },
  { kind: 'medication_change', medication: 'sertraline', change: 'start', toDose: '50 mg' },
  { kind: 'measure_score', instrument: 'PHQ-9', score: 18 },
];

const MEDICATION_CHANGES: FactInput[] = [
  { kind: 'medication_change', medication: 'sertraline', change: 'increase', fromDose: '50 mg', toDose: '100 mg' },
  { kind: 'medication_change', medication: 'sertraline', change: 'stop' },
  { kind: 'medication_change', medication: 'escitalopram', change: 'start', toDose: '10 mg' },
  { kind: 'service', service: 'group_therapy', status: 'ended' },
  { kind: 'service', service: 'medication_management' },
];

/** Minutes after `from`, as an instant. */
const minutesAfter = (from: string, minutes: number) => iso(Date.parse(from) + minutes * MINUTE);

function ownersArb(zone: Zone): fc.Arbitrary<GeneratedOwner[]> {
  const supervisor = fc.record({ timeZone: zoneArb(zone), workingHours: workingHoursArb });
  const staff = fc.array(
    fc.record({
      role: fc.constantFrom(...OWNER_ROLES),
      timeZone: zoneArb(zone),
      workingHours: workingHoursArb,
      supervisor: fc.constantFrom('sup', 'sup', 'none', 'peer'),
    }),
    { minLength: 2, maxLength: 5 },
  );
  return fc.tuple(supervisor, staff).map(([sup, others]) => {
    const owners: GeneratedOwner[] = [{ id: 'sup', role: 'supervisor', timeZone: sup.timeZone, workingHours: sup.workingHours }];
    others.forEach((o, i) => {
      const supervisorId = o.supervisor === 'sup' ? 'sup' : o.supervisor === 'peer' ? `o${((i + 1) % others.length) + 1}` : undefined;
      owners.push({ id: `o${i + 1}`, role: o.role, timeZone: o.timeZone, workingHours: o.workingHours, ...(supervisorId === undefined || supervisorId === `o${i + 1}` ? {} : { supervisorId }) });
    });
    return owners;
  });
}

function patientArb(index: number, zone: Zone, owners: GeneratedOwner[], policyIds: string[], start: string, anchor: string): fc.Arbitrary<GeneratedPatient> {
  const id = `p${index + 1}`;
  const milestone = (m: number) =>
    fc
      .record({
        kind: fc.constantFrom(...MILESTONE_KINDS_USED),
        dueOffsetQuarterHours: fc.integer({ min: -3 * 96, max: 3 * 96 }),
        leadQuarterHours: fc.integer({ min: -96, max: 12 * 96 }),
        policyId: fc.oneof(
          { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
          ...policyIds.map((p) => ({ weight: 3, arbitrary: fc.constant<string | undefined>(p) })),
          { weight: 2, arbitrary: fc.constant<string | undefined>('crisis') },
        ),
        critical: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      })
      .map(({ kind, dueOffsetQuarterHours, leadQuarterHours, policyId, critical }): GeneratedMilestone => {
        const due = Date.parse(anchor) + dueOffsetQuarterHours * 15 * MINUTE;
        const scheduled = Math.max(Date.parse(start), due - leadQuarterHours * 15 * MINUTE);
        return { id: `${id}-m${m + 1}`, kind, dueAt: iso(due), scheduledAt: iso(scheduled), ...(policyId === undefined ? {} : { policyId }), critical: critical || policyId === 'crisis' };
      });
  return fc
    .record({
      timeZone: zoneArb(zone),
      age: fc.constantFrom(15, 34, 67),
      team: fc.subarray(owners, { minLength: 1 }),
      facts: fc.subarray(FACT_CHOICES),
      milestones: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, m) => milestone(m)))),
    })
    .map(({ timeZone, age, team, facts, milestones }) => ({
      id,
      timeZone,
      age,
      team: team.map((o) => ({ ownerId: o.id, role: o.role })),
      facts,
      milestones,
    }));
}

/** Timed actions for a world, referring to its real ids (requirement ids are `${milestoneId}:${ruleId}`); policy edits come from {@link policyEditsArb}. */
function actionsArb(owners: GeneratedOwner[], patients: GeneratedPatient[], start: string, spanMinutes: number): fc.Arbitrary<Action[]> {
  const at = fc.integer({ min: 0, max: Math.floor(spanMinutes / 15) }).map((q) => minutesAfter(start, q * 15));
  const requirementIds = (p: GeneratedPatient) => p.milestones.flatMap((m) => ruleIdsFor(m.kind).map((r) => `${m.id}:${r}`));
  const byPatient = fc.constantFrom(...patients);
  const staff = owners.filter((o) => o.id !== 'sup');
  const base = (patientId: string, when: string) => ({ id: '', tenantId: TENANT, patientId, at: when });

  const note = fc.record({ patient: byPatient, at, pick: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), by: fc.constantFrom(...owners.map((o) => o.id)) }).map(({ patient, at: when, pick, by }): Action => {
    const ids = requirementIds(patient);
    const addresses = [...new Set(pick.map((k) => ids[k % ids.length]!))];
    return { kind: 'event', event: { ...base(patient.id, when), type: 'note.signed', noteId: 'note', ownerId: by, addresses } };
  });
  const requirementEvent = (type: 'requirement.waived' | 'requirement.reopened') =>
    fc.record({ patient: byPatient, at, pick: fc.nat() }).map(({ patient, at: when, pick }): Action => {
      const ids = requirementIds(patient);
      return { kind: 'event', event: { ...base(patient.id, when), type, requirementId: ids[pick % ids.length]! } };
    });
  const milestoneEvent = fc
    .record({ patient: byPatient, at, pick: fc.nat(), type: fc.constantFrom('milestone.met' as const, 'milestone.renewed' as const, 'milestone.cancelled' as const, 'milestone.missed' as const) })
    .map(({ patient, at: when, pick, type }): Action => ({ kind: 'event', event: { ...base(patient.id, when), type, milestoneId: patient.milestones[pick % patient.milestones.length]!.id } }));
  const factEvent = fc
    .record({ patient: byPatient, at, fact: fc.constantFrom(...MEDICATION_CHANGES) })
    .map(({ patient, at: when, fact }): Action => ({ kind: 'event', event: { ...base(patient.id, when), type: 'fact.recorded', fact } }));
  const absence = fc
    .record({ owner: fc.constantFrom(...staff), at, startsAfterHours: fc.integer({ min: 0, max: 72 }), lastsHours: fc.integer({ min: 1, max: 120 }), cover: fc.option(fc.constantFrom(...owners.map((o) => o.id))) })
    .map(({ owner, at: when, startsAfterHours, lastsHours, cover }): Action => {
      const start = Date.parse(when) + startsAfterHours * 60 * MINUTE;
      const absenceBody = { start: iso(start), end: iso(start + lastsHours * 60 * MINUTE), ...(cover === null || cover === owner.id ? {} : { coverOwnerId: cover }) };
      return { kind: 'event', event: { id: '', tenantId: TENANT, at: when, type: 'owner.absence', ownerId: owner.id, absence: absenceBody } };
    });
  const ack = at.map((when): Action => ({ kind: 'ack', at: when }));
  const choices: fc.WeightedArbitrary<Action>[] = [
    { weight: 5, arbitrary: note },
    { weight: 2, arbitrary: requirementEvent('requirement.waived') },
    { weight: 2, arbitrary: requirementEvent('requirement.reopened') },
    { weight: 2, arbitrary: milestoneEvent },
    { weight: 2, arbitrary: factEvent },
    { weight: 2, arbitrary: absence },
    { weight: 2, arbitrary: ack },
  ];
  return fc.array(fc.oneof(...choices), { maxLength: 12 }).map((actions) =>
    actions.map((a, i) => (a.kind === 'event' ? { kind: 'event', event: { ...a.event, id: `e${i + 1}`, ...(a.event.type === 'note.signed' ? { noteId: `note${i + 1}` } : {}) } as CareEventInput } : a)),
  );
}

/**
 * 0–2 edits of the world's policies while ladders are in flight (in the six days before the anchor): a whole new
 * ladder under the same id, the same ladder with earlier notices inserted in front (shifting every step's index),
 * or a softened ladder (the same offsets, notices only, and two more after them). Tasks already open must keep
 * the snapshot they opened with; a planner reading the live policy would repeat or go back down.
 */
function policyEditsArb(policies: readonly EscalationPolicyInput[], anchor: string): fc.Arbitrary<Action[]> {
  if (!policies.length) return fc.constant([]);
  const at = fc.integer({ min: -6 * 96, max: 0 }).map((q) => minutesAfter(anchor, q * 15));
  const replaced = fc.record({ at, policy: fc.constantFrom(...policies.map((p) => p.id)).chain((id) => policyArb(id)) });
  const earlierNotices = fc
    .record({ at, policy: fc.constantFrom(...policies), notices: fc.integer({ min: 1, max: 3 }) })
    .map(({ at: when, policy, notices }) => {
      const first = policy.steps[0]!.offsetMinutes;
      const inserted = Array.from({ length: notices }, (_, k) => ({ id: `early${k}`, offsetMinutes: first - (notices - k) * 6 * 60, level: 'notice' as const }));
      return { at: when, policy: { ...policy, steps: [...inserted, ...policy.steps] } };
    });
  const softened = fc.record({ at, policy: fc.constantFrom(...policies) }).map(({ at: when, policy }) => {
    const owned = policy.steps.filter((step) => (step.recipient ?? 'owner') === 'owner' && !step.critical);
    const last = owned[owned.length - 1]!.offsetMinutes;
    const offsets = [...owned.map((step) => step.offsetMinutes), last + 60, last + 120];
    return { at: when, policy: { ...policy, steps: offsets.map((offsetMinutes, i) => ({ id: `soft${i}`, offsetMinutes, level: 'notice' as const })) } };
  });
  const edit = fc.oneof(replaced, earlierNotices, softened).map(({ at: when, policy }): Action => ({ kind: 'policy', at: when, policy }));
  return fc.array(edit, { maxLength: 2 });
}

/**
 * A whole world: a DST transition to cluster deadlines around, 0–2 generated policies (plus the default and crisis
 * ladders), a directory with a supervisor who is never absent (so unassigned work always has a coordinator to go
 * to), 1–2 patients, timed actions and extra planning instants, over 13 days before the transition to 5 after.
 */
export const worldArb: fc.Arbitrary<World> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    transitionPick: fc.nat(),
    policyCount: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.integer({ min: 1, max: 2 }) }),
  })
  .chain(({ zone, transitionPick, policyCount }) => {
    const candidates = zone === 'UTC' || zone === 'Asia/Kolkata' ? ALL_TRANSITIONS : DST_TRANSITIONS_2026[zone];
    const anchor = candidates[transitionPick % candidates.length]!;
    const start = iso(Date.parse(anchor) - 13 * DAY);
    const end = iso(Date.parse(anchor) + 5 * DAY);
    const policyIds = Array.from({ length: policyCount }, (_, i) => `policy-${i + 1}`);
    return fc
      .record({
        policies: policyIds.length ? fc.tuple(...policyIds.map((id) => policyArb(id))) : fc.constant([] as EscalationPolicyInput[]),
        owners: ownersArb(zone),
        patientCount: fc.integer({ min: 1, max: 2 }),
      })
      .chain(({ policies, owners, patientCount }) =>
        fc
          .tuple(...Array.from({ length: patientCount }, (_, i) => patientArb(i, zone, owners, policyIds, start, anchor)))
          .chain((patients) =>
            fc
              .record({
                actions: actionsArb(owners, patients, start, 18 * DAY_MIN),
                policyEdits: policyEditsArb(policies, anchor),
                planAt: fc.array(fc.integer({ min: 0, max: 18 * 96 }).map((q) => minutesAfter(start, q * 15)), { maxLength: 6 }),
              })
              .map(({ actions, policyEdits, planAt }): World => ({ zone, anchor, start, end, policies: [...policies], owners, patients, actions: [...actions, ...policyEdits], planAt })),
          ),
      );
  });

/** The owner as the directory holds it. */
export function ownerInput(owner: GeneratedOwner): OwnerInput {
  return { tenantId: TENANT, id: owner.id, role: owner.role, timeZone: owner.timeZone, workingHours: owner.workingHours, ...(owner.supervisorId === undefined ? {} : { supervisorId: owner.supervisorId }) };
}

/** The patient as registered. */
export function patientInput(patient: GeneratedPatient): PatientInput {
  return { tenantId: TENANT, id: patient.id, displayToken: `T·${patient.id}`, timeZone: patient.timeZone, age: patient.age };
}

/**
 * The setup events of a world, at `world.start` (milestones at their `scheduledAt`): owners, patients, care teams,
 * facts at intake and milestone scheduling.
 */
export function setupEvents(world: World): CareEventInput[] {
  const events: CareEventInput[] = [];
  const at = world.start;
  for (const owner of world.owners) events.push({ id: `setup-owner-${owner.id}`, tenantId: TENANT, at, type: 'owner.upserted', owner: ownerInput(owner) });
  for (const p of world.patients) {
    const base = { tenantId: TENANT, patientId: p.id };
    events.push({ ...base, id: `setup-${p.id}-registered`, at, type: 'patient.registered', patient: patientInput(p) });
    p.team.forEach((member, i) => events.push({ ...base, id: `setup-${p.id}-team-${i}`, at, type: 'careteam.assigned', member }));
    p.facts.forEach((fact, i) => events.push({ ...base, id: `setup-${p.id}-fact-${i}`, at, type: 'fact.recorded', fact }));
    for (const m of p.milestones) {
      events.push({
        ...base,
        id: `setup-${m.id}-scheduled`,
        at: m.scheduledAt,
        type: 'milestone.scheduled',
        milestone: { id: m.id, kind: m.kind, dueAt: m.dueAt, critical: m.critical, ...(m.policyId === undefined ? {} : { policyId: m.policyId }) },
      });
    }
  }
  return events;
}
