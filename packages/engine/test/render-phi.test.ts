import {
  type CareEventInput,
  type Notification,
  DEFAULT_RULE_PACK_DATA,
  EventSchema,
  createCoreConfig,
  digest,
  emptyState,
  CalendarCache,
  type CoordinationState,
  plan,
  reduce,
} from '@carerelay/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMessage } from '../src/render.js';

/**
 * PHI policy, as a property: `phi-minimal` renderings carry the display token and a deep link, never the
 * patient's name, birth date, diagnosis, medication or note text — for any patient.
 */

const TENANT = 't-phi';
// A rule pack that puts the diagnosis and the medication into requirement text, as vendors' packs may.
const config = createCoreConfig({
  rulePacks: [
    DEFAULT_RULE_PACK_DATA,
    {
      id: 'phi-probe',
      version: '1',
      ruleSets: [
        {
          milestoneKind: 'authorization_review',
          rules: [
            { id: 'probe.diagnosis', role: 'therapist', summary: 'Symptom course', template: 'symptom course of {diagnosis}', reason: 'Review of {diagnosis} needs the symptom course.', conditions: [{ kind: 'diagnosis_category', categories: ['probe'] }] },
            { id: 'probe.medication', role: 'prescriber', summary: 'Regimen response', template: 'response to {medication} {dose}', reason: 'Regimen review.', conditions: [{ kind: 'on_medication' }] },
          ],
        },
      ],
    },
  ],
});

/** A capitalised word that does not occur in rendered boilerplate by chance (letters drawn from a–z, 6–12 long). */
const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
const word = fc
  .string({ unit: fc.constantFrom(...letters), minLength: 6, maxLength: 12 })
  .map((w) => w[0]!.toUpperCase() + w.slice(1));
const isoDate = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const zone = fc.constantFrom('UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata');

const patientArb = fc.record({
  first: word,
  last: word,
  birthDate: isoDate,
  diagnosis: fc.tuple(word, fc.constantFrom('disorder', 'syndrome', 'episode')).map(([w, k]) => `${w} ${k}`),
  medication: word.map((w) => w.toLowerCase() + 'ine'),
  dose: fc.integer({ min: 1, max: 900 }).map((n) => `${n} mg`),
  token: fc.tuple(fc.constantFrom('A', 'B', 'K', 'M'), fc.constantFrom('D', 'R', 'L'), fc.integer({ min: 1000, max: 9999 })).map(([a, b, n]) => `${a}.${b}. ·${n}`),
  dueInHours: fc.integer({ min: 1, max: 20 }),
  timeZone: zone,
});
type GeneratedPatient = typeof patientArb extends fc.Arbitrary<infer T> ? T : never;

/** Usual spellings of a birth date: ISO, US and European. */
function birthDateForms(iso: string): string[] {
  const [y, m, d] = iso.split('-');
  return [iso, `${m}/${d}/${y}`, `${d}.${m}.${y}`];
}

function phiOf(p: GeneratedPatient): string[] {
  return [p.first, p.last, `${p.first} ${p.last}`, ...birthDateForms(p.birthDate), p.diagnosis, p.medication, p.dose];
}

/** The PHI strings found in `texts` (plain `includes`, so thousands of runs stay fast); [] when clean. */
function leaks(texts: readonly string[], phi: readonly string[]): string[] {
  return phi.filter((s) => texts.some((t) => t.includes(s)));
}

const AT = '2026-11-01T00:00:00.000Z';
// The care team per time zone, reduced once: planning reuses the owners' calendars through one cache, as an engine does.
const calendars = new CalendarCache();
const teams = new Map<string, CoordinationState>();
function teamIn(timeZone: string): CoordinationState {
  let state = teams.get(timeZone);
  if (!state) {
    state = emptyState(TENANT);
    const owners: CareEventInput[] = [
      { id: 'o1', tenantId: TENANT, type: 'owner.upserted', at: AT, owner: { tenantId: TENANT, id: 'ther', role: 'therapist', timeZone, name: 'Avery Therapist' } },
      { id: 'o2', tenantId: TENANT, type: 'owner.upserted', at: AT, owner: { tenantId: TENANT, id: 'pres', role: 'prescriber', timeZone } },
    ];
    for (const event of owners) state = reduce(state, EventSchema.parse(event), config);
    teams.set(timeZone, state);
  }
  return state;
}

/** Reduces the patient's events and plans some hours before the deadline, as an engine would. */
function plannedNotifications(p: GeneratedPatient, index: number): Notification[] {
  const due = Date.parse('2026-11-27T20:00:00.000Z') + index * 60_000;
  const at = AT;
  const events: CareEventInput[] = [
    { id: 'p1', tenantId: TENANT, patientId: 'pat', type: 'patient.registered', at, patient: { tenantId: TENANT, id: 'pat', displayToken: p.token, timeZone: p.timeZone, birthDate: p.birthDate, name: `${p.first} ${p.last}` } },
    { id: 'c1', tenantId: TENANT, patientId: 'pat', type: 'careteam.assigned', at, member: { ownerId: 'ther', role: 'therapist' } },
    { id: 'c2', tenantId: TENANT, patientId: 'pat', type: 'careteam.assigned', at, member: { ownerId: 'pres', role: 'prescriber' } },
    { id: 'f1', tenantId: TENANT, patientId: 'pat', type: 'fact.recorded', at, fact: { kind: 'diagnosis', category: 'probe', display: p.diagnosis } },
    { id: 'f2', tenantId: TENANT, patientId: 'pat', type: 'fact.recorded', at, fact: { kind: 'medication_change', medication: p.medication, change: 'start', toDose: p.dose } },
    { id: 'f3', tenantId: TENANT, patientId: 'pat', type: 'fact.recorded', at, fact: { kind: 'service', service: 'medication_management' } },
    { id: 'm1', tenantId: TENANT, patientId: 'pat', type: 'milestone.scheduled', at, milestone: { id: 'auth', kind: 'authorization_review', dueAt: new Date(due).toISOString(), label: `Review for ${p.first} ${p.last}` } },
  ];
  let state = teamIn(p.timeZone);
  for (const event of events) state = reduce(state, EventSchema.parse(event), config);
  return plan(state, new Date(due - p.dueInHours * 3_600_000).toISOString(), config, { calendars }).notifications;
}

describe('PHI policy: phi-minimal renderings', () => {
  it('carry no name, birth date, diagnosis or medication for thousands of generated patients planned by the core', () => {
    let index = 0;
    fc.assert(
      fc.property(patientArb, (p) => {
        const notifications = plannedNotifications(p, index++);
        // The property is only meaningful if the core did put the PHI into requirement text.
        const allText = notifications.flatMap((n) => n.items.map((i) => i.text)).join('\n');
        expect(allText.includes(p.medication) && allText.includes(p.diagnosis)).toBe(true);
        for (const message of digest(notifications, { windowMinutes: 60 })) {
          const rendered = renderMessage(message, 'phi-minimal', { deepLinkBase: 'https://app.example', timeZone: p.timeZone, recipientName: 'Avery Therapist' });
          expect(rendered.text).toContain(p.token);
          expect(rendered.deepLink).toMatch(/^https:\/\/app\.example\/tasks/);
          expect(leaks([rendered.subject, rendered.text, rendered.html ?? ''], phiOf(p))).toEqual([]);
          // The subject carries no PHI at any trust level.
          expect(leaks([renderMessage(message, 'phi-allowed', { timeZone: p.timeZone }).subject], phiOf(p))).toEqual([]);
        }
      }),
      { numRuns: 2000 },
    );
  }, 30_000);

  it('carry none of the PHI placed in every PHI-bearing field (text, reason, label), across multi-patient digests', () => {
    const itemArb = fc.record({ p: patientArb, note: fc.tuple(word, word, word).map((w) => w.join(' ')) });
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 6 }), zone, (entries, timeZone) => {
        const notifications: Notification[] = entries.map(({ p, note }, i) => ({
          id: `ntf_${i}`,
          tenantId: TENANT,
          patientId: `pat-${p.last}`,
          displayToken: p.token,
          recipientId: 'ther',
          level: 'reminder',
          critical: false,
          deliverAt: new Date(Date.parse('2026-11-24T14:00:00Z') + i * 60_000).toISOString(),
          taskId: `task_${i}`,
          stepId: 'reminder',
          repeat: 0,
          milestoneId: 'auth',
          milestoneKind: 'authorization_review',
          deadline: '2026-11-27T20:00:00.000Z',
          channels: ['email'],
          phiClass: 'phi',
          items: [
            {
              requirementId: `req-${i}`,
              ownerId: 'ther',
              summary: 'Medication response',
              text: `${p.first} ${p.last} (${p.birthDate}), ${p.diagnosis}, ${p.medication} ${p.dose}; note: ${note}`,
              reason: `Because of ${p.diagnosis} treated with ${p.medication}`,
              deadline: '2026-11-27T20:00:00.000Z',
              milestoneId: 'auth',
              milestoneKind: 'authorization_review',
              milestoneLabel: `${p.last} review`,
            },
          ],
        }));
        const [message, ...rest] = digest(notifications, { windowMinutes: 60 });
        expect(rest).toEqual([]);
        const rendered = renderMessage(message!, 'phi-minimal', { deepLinkBase: 'https://app.example', timeZone });
        const phi = entries.flatMap(({ p, note }) => [...phiOf(p), note]);
        expect(leaks([rendered.subject, rendered.text, rendered.html ?? ''], phi)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  }, 30_000);
});

describe('Digest: items due for one recipient within the window go out as one message', () => {
  it('renders every item of the window exactly once, each with its token and deadline', () => {
    const entry = fc.record({ offsetMinutes: fc.integer({ min: 0, max: 59 }), token: fc.integer({ min: 1000, max: 9999 }).map((n) => `P.T. ·${n}`), hours: fc.integer({ min: 24, max: 240 }) });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { minLength: 1, maxLength: 8, selector: (e) => e.token }), (entries) => {
        const start = Date.parse('2026-11-24T14:00:00Z');
        const notifications: Notification[] = entries.map((e, i) => {
          const deadline = new Date(start + e.hours * 3_600_000).toISOString();
          return {
            id: `ntf_${i}`, tenantId: TENANT, patientId: `pat-${i}`, displayToken: e.token, recipientId: 'ther', level: 'reminder', critical: false,
            deliverAt: new Date(start + e.offsetMinutes * 60_000).toISOString(), taskId: `task_${i}`, stepId: 'reminder', repeat: 0,
            milestoneId: `m-${i}`, milestoneKind: 'authorization_review', deadline, channels: ['email'], phiClass: 'phi-free',
            items: [{ requirementId: `req-${i}`, ownerId: 'ther', summary: `Item number ${i}`, text: `Item number ${i}`, reason: 'r', deadline, milestoneId: `m-${i}`, milestoneKind: 'authorization_review' }],
          };
        });
        const messages = digest(notifications, { windowMinutes: 60 });
        expect(messages).toHaveLength(1);
        const rendered = renderMessage(messages[0]!, 'phi-minimal', { deepLinkBase: 'https://app.example' });
        expect(rendered.subject).toMatch(new RegExp(`^Reminder: ${entries.length} items?`));
        entries.forEach((e, i) => {
          expect(rendered.text.split(`  - Item number ${i}\n`)).toHaveLength(2);
          expect(rendered.text).toContain(`${e.token} — authorization review, due `);
          expect(rendered.text.split(`Open: https://app.example/tasks/task_${i}\n`)).toHaveLength(2);
        });
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
