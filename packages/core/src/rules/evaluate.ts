import type { MilestoneKind, Patient } from '../model/entities.js';
import type { Condition, Rule, RulePack } from './rule-pack.js';
import { renderTemplate } from './rule-pack.js';
import { type PatientProfile, daysToMillis } from './patient-profile.js';

/** A rule that applies, with its template filled in from the facts that made it apply. */
export interface MatchedRule {
  rule: Rule;
  text: string;
}

/** The milestone attributes rule sets select on. */
export interface MilestoneSelector {
  kind: MilestoneKind;
  dueAtMillis: number;
  payer?: string | undefined;
  levelOfCare?: string | undefined;
}

type Bindings = Record<string, string>;

/** Checks one condition; returns the placeholder values it binds, or undefined when it does not hold. */
function checkCondition(condition: Condition, profile: PatientProfile, dueAtMillis: number): Bindings | undefined {
  switch (condition.kind) {
    case 'medication_changed_within': {
      let best: Bindings | undefined;
      let bestAt = -Infinity;
      for (const med of profile.medications.values()) {
        const { change, at } = med.lastChange;
        if (!condition.changes.includes(change as never)) continue;
        if (at < dueAtMillis - daysToMillis(condition.days) || at > dueAtMillis) continue;
        if (at <= bestAt) continue;
        bestAt = at;
        best = { medication: med.medication, fromDose: med.lastChange.fromDose ?? '', toDose: med.lastChange.toDose ?? '', dose: med.dose ?? '' };
      }
      return best;
    }
    case 'on_medication': {
      const wanted = condition.medication?.toLowerCase();
      const candidates = [...profile.medications.values()]
        .filter((m) => m.active && (wanted === undefined || m.medication.toLowerCase() === wanted))
        .sort((a, b) => a.medication.localeCompare(b.medication));
      const med = candidates[0];
      return med ? { medication: med.medication, dose: med.dose ?? '' } : undefined;
    }
    case 'age_between':
      return profile.age !== undefined && profile.age >= condition.min && profile.age <= condition.max ? { age: String(profile.age) } : undefined;
    case 'enrolled_in':
      return profile.services.has(condition.service) ? { service: condition.service.replace(/_/g, ' ') } : undefined;
    case 'diagnosis_category': {
      const category = condition.categories.find((c) => profile.diagnoses.has(c));
      return category === undefined ? undefined : { diagnosis: profile.diagnoses.get(category) ?? category };
    }
    case 'last_score': {
      const score = profile.scores.get(condition.instrument);
      if (score === undefined) return undefined;
      if (condition.above !== undefined && !(score > condition.above)) return undefined;
      if (condition.below !== undefined && !(score < condition.below)) return undefined;
      return { instrument: condition.instrument, score: String(score) };
    }
    case 'program': {
      const program = condition.programs.find((p) => profile.programs.includes(p));
      return program === undefined ? undefined : { program };
    }
  }
}

/** Whether a rule set's payer and level-of-care filters admit the milestone (the milestone's values win over the patient's). */
function selects(set: RulePack['ruleSets'][number], milestone: MilestoneSelector, patient: Patient | undefined): boolean {
  if (set.milestoneKind !== milestone.kind) return false;
  const payer = milestone.payer ?? patient?.payer;
  const level = milestone.levelOfCare ?? patient?.levelOfCare;
  if (set.payers && (payer === undefined || !set.payers.includes(payer))) return false;
  if (set.levelsOfCare && (level === undefined || !set.levelsOfCare.includes(level))) return false;
  return true;
}

/**
 * The rules that apply to a milestone for a patient, in pack order, each with its text rendered.
 * A rule id that appears in several selected sets applies once (the first wins).
 */
export function matchRules(
  packs: readonly RulePack[],
  milestone: MilestoneSelector,
  patient: Patient | undefined,
  profile: PatientProfile,
): MatchedRule[] {
  const matched: MatchedRule[] = [];
  const seen = new Set<string>();
  for (const pack of packs) {
    for (const set of pack.ruleSets) {
      if (!selects(set, milestone, patient)) continue;
      for (const rule of set.rules) {
        if (seen.has(rule.id)) continue;
        const bindings: Bindings = {};
        let holds = true;
        for (const condition of rule.conditions) {
          const bound = checkCondition(condition, profile, milestone.dueAtMillis);
          if (!bound) {
            holds = false;
            break;
          }
          Object.assign(bindings, bound);
        }
        if (!holds) continue;
        seen.add(rule.id);
        matched.push({ rule, text: renderTemplate(rule.template, bindings) });
      }
    }
  }
  return matched;
}
