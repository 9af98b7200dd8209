import type { Patient } from '../model/entities.js';
import type { RecordedFact } from '../model/state.js';
import { DAY, toMillis } from '../model/primitives.js';

/** A medication as the facts describe it now. */
export interface MedicationProfile {
  medication: string;
  active: boolean;
  dose?: string;
  lastChange: { change: string; fromDose?: string; toDose?: string; at: number };
}

/** What rule conditions look at: the patient's facts folded up to one instant. */
export interface PatientProfile {
  age?: number;
  programs: readonly string[];
  medications: ReadonlyMap<string, MedicationProfile>;
  services: ReadonlySet<string>;
  /** Active diagnosis categories, with a display text when known. */
  diagnoses: ReadonlyMap<string, string>;
  /** Last score per instrument. */
  scores: ReadonlyMap<string, number>;
}

/** Whole years between a `YYYY-MM-DD` birth date and an instant (calendar arithmetic in UTC). */
export function ageAt(birthDate: string, atMillis: number): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const at = new Date(atMillis);
  let age = at.getUTCFullYear() - y;
  const beforeBirthday = at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Folds a case's facts (in recorded order) into a profile as of `atMillis`. Facts recorded later are ignored. */
export function profileAt(patient: Patient | undefined, facts: readonly RecordedFact[], atMillis: number): PatientProfile {
  const medications = new Map<string, MedicationProfile>();
  const services = new Set<string>();
  const diagnoses = new Map<string, string>();
  const scores = new Map<string, number>();
  for (const recorded of facts) {
    const fact = recorded.fact;
    const at = toMillis(recorded.at);
    if (at > atMillis) continue;
    switch (fact.kind) {
      case 'medication_change': {
        const effective = fact.effectiveAt ? toMillis(fact.effectiveAt) : at;
        const key = fact.medication.toLowerCase();
        const dose = fact.change === 'stop' ? undefined : (fact.toDose ?? medications.get(key)?.dose);
        medications.set(key, {
          medication: fact.medication,
          active: fact.change !== 'stop',
          ...(dose === undefined ? {} : { dose }),
          lastChange: {
            change: fact.change,
            ...(fact.fromDose === undefined ? {} : { fromDose: fact.fromDose }),
            ...(fact.toDose === undefined ? {} : { toDose: fact.toDose }),
            at: effective,
          },
        });
        break;
      }
      case 'service':
        if (fact.status === 'enrolled') services.add(fact.service);
        else services.delete(fact.service);
        break;
      case 'diagnosis':
        if (fact.status === 'active') diagnoses.set(fact.category, fact.display ?? fact.category);
        else diagnoses.delete(fact.category);
        break;
      case 'measure_score':
        scores.set(fact.instrument, fact.score);
        break;
      default:
        break;
    }
  }
  const age = patient?.birthDate ? ageAt(patient.birthDate, atMillis) : patient?.age;
  return { ...(age === undefined ? {} : { age }), programs: patient?.programs ?? [], medications, services, diagnoses, scores };
}

/** Days as milliseconds, for condition windows. */
export const daysToMillis = (days: number): number => days * DAY;
