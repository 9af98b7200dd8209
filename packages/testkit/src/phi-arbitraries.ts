import type { Notification } from '@carerelay/core';
import fc from 'fast-check';

const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
/** A capitalised random word (6–12 letters): unlikely to occur in rendered boilerplate by chance. */
export const word = fc.string({ unit: fc.constantFrom(...letters), minLength: 6, maxLength: 12 }).map((w) => w[0]!.toUpperCase() + w.slice(1));

/** A generated patient's PHI and display token. */
export interface GeneratedPatient {
  name: string;
  birthDate: string;
  diagnosis: string;
  medication: string;
  note: string;
  token: string;
}

/** Random patients: names, birth dates, diagnoses, medications and note text. */
export const patientArb: fc.Arbitrary<GeneratedPatient> = fc.record({
  name: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
  birthDate: fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  diagnosis: word.map((w) => `${w} disorder`),
  medication: word.map((w) => `${w.toLowerCase()}ine`),
  note: fc.tuple(word, word, word).map((w) => w.join(' ')),
  token: fc.integer({ min: 1000, max: 9999 }).map((n) => `Q.Z. ·${n}`),
});

/** The PHI strings of a patient, as they could be spelled. */
export function phiOf(p: GeneratedPatient): string[] {
  const [y, m, d] = p.birthDate.split('-');
  return [...p.name.split(' '), p.name, p.birthDate, `${m}/${d}/${y}`, p.diagnosis, p.medication, p.note];
}

/** The PHI strings found in any of `texts`; [] when clean. */
export function leaks(texts: readonly string[], phi: readonly string[]): string[] {
  return phi.filter((s) => texts.some((t) => t.includes(s)));
}

/** A notification for `recipientId` whose every PHI-bearing field (text, reason, label) carries the patient's PHI. */
export function notificationFor(p: GeneratedPatient, i: number, recipientId = 'pres-1', deliverAt = '2026-11-26T20:00:00.000Z'): Notification {
  return {
    id: `ntf_prop_${i}`,
    tenantId: 'clinic-north',
    patientId: `pat-${i}`,
    displayToken: p.token,
    recipientId,
    level: 'urgent',
    critical: false,
    deliverAt,
    taskId: `task_prop_${i}`,
    stepId: 'urgent',
    repeat: 0,
    milestoneId: `auth-${i}`,
    milestoneKind: 'authorization_review',
    deadline: '2026-11-27T20:00:00.000Z',
    channels: ['email', 'webhook'],
    phiClass: 'phi',
    items: [
      {
        requirementId: `req-${i}`,
        ownerId: recipientId,
        summary: 'Medication response',
        text: `response to ${p.medication} for ${p.name} (${p.birthDate}); ${p.diagnosis}; note: ${p.note}`,
        reason: `Review of ${p.diagnosis}`,
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: `auth-${i}`,
        milestoneKind: 'authorization_review',
        milestoneLabel: `Review for ${p.name}`,
      },
    ],
  };
}
