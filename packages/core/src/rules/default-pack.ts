import { type RulePack, type RulePackInput, RulePackSchema } from './rule-pack.js';

/**
 * The default rule pack as plain JSON-compatible data. Vendors copy and edit it; nothing here is a constant in code.
 *
 * Timelines encoded as milestone templates:
 * - CCBHC access: routine referral → first contact within 10 business days, urgent within 1 business day, emergency immediately.
 * - HEDIS FUH: follow-up within 7 days and within 30 days after a mental-health inpatient or emergency discharge
 *   (one kept visit meets both).
 * - Crisis: follow-up contact within 24 hours of a crisis episode.
 * - Drop-out: two no-shows within 30 days → engagement check within 3 business days.
 * (CMS prior-authorization decision windows — 72 hours expedited, 7 days standard — are payer-side and
 * appear as the `reason` of the UR coordinator's submission rule.)
 */
export const DEFAULT_RULE_PACK_DATA = {
  id: 'carerelay-default',
  version: '2026.11.0',
  description: 'Behavioral-health outpatient defaults: authorization reviews, transitions, access, crisis and engagement.',
  ruleSets: [
    {
      milestoneKind: 'authorization_review',
      rules: [
        {
          id: 'auth.med-adherence-after-change',
          role: 'therapist',
          summary: 'Medication adherence since recent dose change',
          template: 'medication adherence since {medication} {fromDose}→{toDose}',
          reason: 'Continued-stay criteria: a dose change within 30 days must show documented adherence and response.',
          conditions: [{ kind: 'medication_changed_within', days: 30, changes: ['increase', 'decrease', 'switch'] }],
        },
        {
          id: 'auth.panic-frequency',
          role: 'therapist',
          summary: 'Symptom frequency',
          template: 'panic-attack frequency in the past week',
          reason: 'Medical-necessity criteria for anxiety disorders require current symptom frequency.',
          conditions: [{ kind: 'diagnosis_category', categories: ['panic_disorder'] }],
        },
        {
          id: 'auth.group-participation',
          role: 'therapist',
          summary: 'Group therapy participation',
          template: 'participation in group therapy',
          reason: 'Each billed service must show participation and benefit at review.',
          conditions: [{ kind: 'enrolled_in', service: 'group_therapy' }],
        },
        {
          id: 'auth.adolescent-coping-progress',
          role: 'therapist',
          summary: 'Coping-strategy progress',
          template: 'coping-strategy progress',
          reason: 'Adolescent individual-therapy reviews require progress toward treatment-plan goals.',
          conditions: [
            { kind: 'age_between', min: 12, max: 17 },
            { kind: 'enrolled_in', service: 'individual_therapy' },
          ],
        },
        {
          id: 'auth.adolescent-school-attendance',
          role: 'therapist',
          summary: 'School attendance',
          template: 'school attendance',
          reason: 'Adolescent reviews weigh functioning at school.',
          conditions: [{ kind: 'age_between', min: 5, max: 17 }],
        },
        {
          id: 'auth.medication-response',
          role: 'prescriber',
          summary: 'Medication response',
          template: 'medication response to {medication} {dose}',
          reason: 'Medication-management reviews require the response to the current regimen.',
          conditions: [
            { kind: 'enrolled_in', service: 'medication_management' },
            { kind: 'on_medication' },
          ],
        },
        {
          id: 'auth.side-effects',
          role: 'prescriber',
          summary: 'Reported side effects',
          template: 'reported side effects',
          reason: 'Medication-management reviews require side effects to be assessed and documented.',
          conditions: [
            { kind: 'enrolled_in', service: 'medication_management' },
            { kind: 'on_medication' },
          ],
        },
        {
          id: 'auth.severity-score',
          role: 'therapist',
          summary: 'Current severity score',
          template: 'current {instrument} score and change since intake',
          reason: 'Measurement-based care: payers ask for the latest standardized score at review.',
          conditions: [{ kind: 'last_score', instrument: 'PHQ-9', above: 14 }],
        },
      ],
    },
    {
      milestoneKind: 'authorization_expiry',
      rules: [
        {
          id: 'expiry.submit-renewal',
          role: 'ur_coordinator',
          summary: 'Submit authorization renewal',
          template: 'submit the continued-stay request to the payer',
          reason: 'Payers decide within 7 calendar days (standard) or 72 hours (expedited): submit before the authorization lapses.',
        },
      ],
    },
    {
      milestoneKind: 'referral_first_contact',
      rules: [
        {
          id: 'referral.first-contact',
          role: 'intake',
          summary: 'First contact with referred client',
          template: 'first contact and screening for the referral',
          reason: 'CCBHC access standard: routine within 10 business days, urgent within 1 business day, emergency immediately.',
        },
      ],
    },
    {
      milestoneKind: 'discharge_follow_up',
      rules: [
        {
          id: 'fuh.follow-up-visit',
          role: 'case_manager',
          summary: 'Post-discharge follow-up visit',
          template: 'schedule and hold a follow-up visit with a mental-health practitioner',
          reason: 'HEDIS FUH: follow-up within 7 and 30 days after a mental-health discharge.',
        },
        {
          id: 'fuh.medication-reconciliation',
          role: 'prescriber',
          summary: 'Medication reconciliation after discharge',
          template: 'reconcile discharge medications including {medication}',
          reason: 'Transitions of care: reconcile medications changed during the stay.',
          conditions: [{ kind: 'medication_changed_within', days: 30 }],
        },
      ],
    },
    {
      milestoneKind: 'crisis_follow_up',
      rules: [
        {
          id: 'crisis.safety-plan',
          role: 'crisis_clinician',
          summary: 'Crisis follow-up and safety plan',
          template: 'follow-up contact and safety-plan review after the crisis episode',
          reason: 'Crisis episodes need follow-up contact within 24 hours.',
        },
      ],
    },
    {
      milestoneKind: 'measurement_due',
      rules: [
        {
          id: 'measure.administer',
          role: 'therapist',
          summary: 'Administer standardized measure',
          template: 'administer and score the scheduled standardized measure',
          reason: 'Measurement-based care schedule.',
        },
      ],
    },
    {
      milestoneKind: 'engagement_check',
      rules: [
        {
          id: 'engagement.outreach',
          role: 'peer_specialist',
          summary: 'Outreach after missed appointments',
          template: 'reach the client after repeated missed appointments and rebook',
          reason: 'Clients who miss appointments quietly drop out of care; early outreach keeps them engaged.',
        },
      ],
    },
  ],
  milestoneTemplates: [
    { id: 'fuh-7', trigger: { kind: 'transition', transition: 'discharge', settings: ['inpatient', 'emergency'] }, kind: 'discharge_follow_up', label: 'Follow-up within 7 days of discharge', dueAfter: { amount: 7, unit: 'days' }, source: 'HEDIS FUH 7-day' },
    { id: 'fuh-30', trigger: { kind: 'transition', transition: 'discharge', settings: ['inpatient', 'emergency'] }, kind: 'discharge_follow_up', label: 'Follow-up within 30 days of discharge', dueAfter: { amount: 30, unit: 'days' }, source: 'HEDIS FUH 30-day' },
    { id: 'referral-routine', trigger: { kind: 'referral', urgency: 'routine' }, kind: 'referral_first_contact', label: 'Routine referral first contact', dueAfter: { amount: 10, unit: 'business_days' }, source: 'CCBHC routine access' },
    { id: 'referral-urgent', trigger: { kind: 'referral', urgency: 'urgent' }, kind: 'referral_first_contact', label: 'Urgent referral first contact', dueAfter: { amount: 1, unit: 'business_days' }, source: 'CCBHC urgent access' },
    { id: 'referral-emergency', trigger: { kind: 'referral', urgency: 'emergency' }, kind: 'referral_first_contact', label: 'Emergency referral: immediate contact', dueAfter: { amount: 0, unit: 'minutes' }, critical: true, policyId: 'crisis', source: 'CCBHC emergency access' },
    { id: 'crisis-24h', trigger: { kind: 'crisis' }, kind: 'crisis_follow_up', label: 'Crisis follow-up within 24 hours', dueAfter: { amount: 24, unit: 'hours' }, critical: true, policyId: 'crisis', source: 'Crisis follow-up standard' },
    { id: 'dropout-2-no-shows', trigger: { kind: 'no_show', count: 2, withinDays: 30 }, kind: 'engagement_check', label: 'Engagement check after missed appointments', dueAfter: { amount: 3, unit: 'business_days' }, source: 'Drop-out detection' },
  ],
} satisfies RulePackInput;

/** The default rule pack, validated. */
export const DEFAULT_RULE_PACK: RulePack = RulePackSchema.parse(DEFAULT_RULE_PACK_DATA);
