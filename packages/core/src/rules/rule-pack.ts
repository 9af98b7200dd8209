import { z } from 'zod';
import { MilestoneKindSchema } from '../model/entities.js';
import { IdSchema, RoleSchema } from '../model/primitives.js';
import { type Result, parseWith } from '../errors.js';

/** A condition on a patient's facts; every condition of a rule must hold for the rule to apply. */
export const ConditionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('medication_changed_within'),
    /** Days before the milestone's due date. */
    days: z.number().int().min(1).max(3650),
    changes: z.array(z.enum(['start', 'increase', 'decrease', 'switch', 'stop'])).min(1).default(['start', 'increase', 'decrease', 'switch']),
  }),
  z.object({ kind: z.literal('on_medication'), medication: z.string().max(200).optional() }),
  z.object({ kind: z.literal('age_between'), min: z.number().int().min(0).max(130).default(0), max: z.number().int().min(0).max(130).default(130) }),
  z.object({ kind: z.literal('enrolled_in'), service: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('diagnosis_category'), categories: z.array(z.string().min(1).max(64)).min(1) }),
  z.object({ kind: z.literal('last_score'), instrument: z.string().min(1).max(64), above: z.number().optional(), below: z.number().optional() }),
  z.object({ kind: z.literal('program'), programs: z.array(z.string().min(1).max(64)).min(1) }),
]);
/** A condition on facts. */
export type Condition = z.infer<typeof ConditionSchema>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** One requirement rule: under these conditions, this milestone needs this item from this role. */
export const RuleSchema = z.object({
  id: IdSchema,
  role: RoleSchema,
  /** Short, PHI-free label for low-trust channels ("Medication adherence"). No placeholders. */
  summary: z
    .string()
    .min(1)
    .max(120)
    .refine((s) => !/[{}]/.test(s), 'summary must not contain placeholders (it goes to low-trust channels)'),
  /** What the note must address, with fact placeholders: `{medication}`, `{fromDose}`, `{toDose}`, `{dose}`, `{service}`, `{instrument}`, `{score}`, `{diagnosis}`, `{age}`. */
  template: z.string().min(1).max(500),
  /** Why it is needed: payer criterion, regulation, or internal rule. */
  reason: z.string().min(1).max(500),
  conditions: z.array(ConditionSchema).max(20).default([]),
});
/** A requirement rule. */
export type Rule = z.infer<typeof RuleSchema>;

/** How long after its trigger a templated milestone falls due. */
export const DueAfterSchema = z.object({
  amount: z.number().int().min(0).max(3650),
  unit: z.enum(['minutes', 'hours', 'days', 'business_days']),
});
/** A due-after duration. */
export type DueAfter = z.infer<typeof DueAfterSchema>;

/** A fact that schedules a milestone by itself (discharge → follow-up, referral → first contact, …). */
export const TriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('transition'), transition: z.enum(['admission', 'transfer', 'discharge']), settings: z.array(z.string()).min(1), mentalHealthOnly: z.boolean().default(true) }),
  z.object({ kind: z.literal('referral'), urgency: z.enum(['routine', 'urgent', 'emergency']) }),
  z.object({ kind: z.literal('crisis') }),
  z.object({ kind: z.literal('no_show'), count: z.number().int().min(1).max(20), withinDays: z.number().int().min(1).max(365) }),
]);
/** A milestone trigger. */
export type Trigger = z.infer<typeof TriggerSchema>;

/** A milestone that a fact schedules, due a set time after it. */
export const MilestoneTemplateSchema = z.object({
  id: IdSchema,
  trigger: TriggerSchema,
  kind: MilestoneKindSchema,
  label: z.string().max(200),
  dueAfter: DueAfterSchema,
  critical: z.boolean().default(false),
  policyId: IdSchema.optional(),
  /** Where the timeline comes from (e.g. "HEDIS FUH 7-day"). */
  source: z.string().max(300).optional(),
});
/** A milestone template. */
export type MilestoneTemplate = z.infer<typeof MilestoneTemplateSchema>;

/** The rules that apply to one milestone kind, optionally only for some payers and levels of care. */
export const RuleSetSchema = z.object({
  milestoneKind: MilestoneKindSchema,
  payers: z.array(z.string().max(128)).optional(),
  levelsOfCare: z.array(z.string().max(64)).optional(),
  rules: z.array(RuleSchema).min(1).max(200),
});
/** A rule set. */
export type RuleSet = z.infer<typeof RuleSetSchema>;

/** A rule pack: declarative, validated data saying what each milestone needs from whom. */
export const RulePackSchema = z
  .object({
    id: IdSchema,
    version: z.string().max(64),
    description: z.string().max(1000).optional(),
    ruleSets: z.array(RuleSetSchema).max(200),
    milestoneTemplates: z.array(MilestoneTemplateSchema).max(200).default([]),
  })
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    pack.ruleSets.forEach((set, s) =>
      set.rules.forEach((rule, r) => {
        if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['ruleSets', s, 'rules', r, 'id'], message: `duplicate rule id` });
        seen.add(rule.id);
        for (const match of rule.template.matchAll(PLACEHOLDER)) {
          if (!KNOWN_PLACEHOLDERS.includes(match[1] ?? '')) {
            ctx.addIssue({ code: 'custom', path: ['ruleSets', s, 'rules', r, 'template'], message: `unknown placeholder {${match[1]}}` });
          }
        }
      }),
    );
  });
/** A validated rule pack. */
export type RulePack = z.infer<typeof RulePackSchema>;
/** Input form of {@link RulePack} (as JSON on disk). */
export type RulePackInput = z.input<typeof RulePackSchema>;

/** Placeholders a template may use. */
export const KNOWN_PLACEHOLDERS: readonly string[] = [
  'medication', 'fromDose', 'toDose', 'dose', 'service', 'instrument', 'score', 'diagnosis', 'age', 'program',
];

/**
 * Validates a rule pack (e.g. parsed JSON). The error's `issues` name the path and reason of every problem,
 * e.g. `ruleSets.0.rules.2.conditions.0.days: Too small: expected number to be >=1`.
 */
export function parseRulePack(input: unknown): Result<RulePack> {
  return parseWith(RulePackSchema, input, 'rule pack', 'invalid_configuration');
}

/** Fills `{placeholders}` from `values`; a missing value leaves the placeholder's name in words. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_, key: string) => values[key] ?? key);
}
