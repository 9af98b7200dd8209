import type { Level } from '@carerelay/core';

/**
 * Every parameter of the clinic and of the clinician behaviour model, as documented (with rationale) in
 * `docs/simulation.md` §3–§6. They were fixed before any comparison was run and are never tuned per policy.
 */
export interface SimulationParameters {
  staff: Record<'therapist' | 'prescriber' | 'case_manager' | 'ur_coordinator' | 'peer_specialist' | 'supervisor', number>;
  /** Share of staff per IANA zone. */
  zones: Record<string, number>;
  /** Share of staff per schedule kind. */
  schedules: { fullTime: number; fourTens: number; partTime: number };
  /** Probability of one planned week of leave in the run; days recorded ahead. */
  plannedLeave: { probability: number; recordedDaysAhead: number };
  /** Probability a working day is a sick day. */
  sickDay: number;

  patients: {
    adolescentShare: number;
    medicationManagement: number;
    groupTherapy: number;
    caseManager: number;
    peerSpecialist: number;
    panicDisorder: number;
    /** Initial PHQ-9 score range. */
    phq9: [number, number];
    /** Payer mix with review cycle length in days. */
    payers: Array<{ payer: string; share: number; cycleDays: number; label: string }>;
  };

  milestones: {
    /** Days before the review's due date that UR enters it. */
    scheduledDaysAhead: number;
    /** Days from review to expiry. */
    expiryAfterReviewDays: number;
    /** Share of renewals the payer denies for clinical reasons. */
    clinicalDenial: number;
    referralsPerBusinessDay: number;
    urgentReferralShare: number;
    /** Business days of triage delay (uniform 0…max). */
    triageMaxBusinessDays: { routine: number; urgent: number };
    /** Probability a coordinator who reads a message naming an unowned referral assigns an intake owner at once. */
    coordinatorAssigns: number;
    admissionsPer30Days: number;
    stayDays: [number, number];
    medicationChangeAtDischarge: number;
    /** Business days from booking to a follow-up visit (uniform). */
    followUpVisitBusinessDays: [number, number];
    followUpVisitKept: number;
  };

  sessions: {
    /** Share of therapy clients seen every 14 days (the rest every 28). */
    therapistEvery14Days: number;
    prescriberEveryDays: number;
    caseManagerEveryDays: number;
    peerEveryDays: number;
    noShow: number;
    medicationChange: number;
    groupEnrollment: number;
    phq9EverySessions: number;
  };

  behaviour: {
    awarenessHalfLifeDays: number;
    /** Documenting a session item at a kept session: `base + named·a`. */
    document: { base: number; named: number };
    /** Insufficient documentation: `base − named·a`. */
    insufficient: { base: number; named: number };
    /** Completing a task item on a working day: `base + named·a`. */
    task: { base: number; named: number };
    /** The UR coordinator's packet check before a review: when, how often, and how often the asked owner acts at once. */
    urPacketCheck: { businessDaysBefore: number; probability: number; actNow: number };
    /** Acting at once on an item named in a message read, by the message's level. */
    actNow: Record<Level, number>;
    /** Base probability of reading a message, by level. */
    read: Record<Level, number>;
    /** Odds ratio per other message about the same patient that day. */
    samePatientSameDayOddsRatio: number;
    /** Odds ratio per 5 percentage points of repeated messages in the trailing window. */
    repeatShareOddsRatioPer5Points: number;
    repeatWindowDays: number;
  };
}

/** The parameters of `docs/simulation.md`. */
export const DEFAULT_PARAMETERS: SimulationParameters = {
  staff: { therapist: 16, prescriber: 5, case_manager: 6, ur_coordinator: 4, peer_specialist: 5, supervisor: 4 },
  zones: { 'America/New_York': 0.35, 'America/Chicago': 0.25, 'America/Denver': 0.1, 'America/Phoenix': 0.1, 'America/Los_Angeles': 0.2 },
  schedules: { fullTime: 0.7, fourTens: 0.2, partTime: 0.1 },
  plannedLeave: { probability: 0.5, recordedDaysAhead: 14 },
  sickDay: 0.02,
  patients: {
    adolescentShare: 0.2,
    medicationManagement: 0.55,
    groupTherapy: 0.25,
    caseManager: 0.35,
    peerSpecialist: 0.2,
    panicDisorder: 0.15,
    phq9: [4, 22],
    payers: [
      { payer: 'medicaid', share: 0.45, cycleDays: 60, label: 'Medicaid continued-stay review' },
      { payer: 'aetna', share: 0.15, cycleDays: 45, label: 'Aetna concurrent review' },
      { payer: 'bcbs', share: 0.15, cycleDays: 45, label: 'BCBS concurrent review' },
      { payer: 'united', share: 0.1, cycleDays: 45, label: 'United concurrent review' },
      { payer: 'medicare', share: 0.15, cycleDays: 90, label: 'Medicare recertification' },
    ],
  },
  milestones: {
    scheduledDaysAhead: 21,
    expiryAfterReviewDays: 5,
    clinicalDenial: 0.03,
    referralsPerBusinessDay: 2,
    urgentReferralShare: 0.15,
    triageMaxBusinessDays: { routine: 5, urgent: 1 },
    coordinatorAssigns: 0.8,
    admissionsPer30Days: 0.015,
    stayDays: [3, 10],
    medicationChangeAtDischarge: 0.5,
    followUpVisitBusinessDays: [1, 3],
    followUpVisitKept: 0.75,
  },
  sessions: {
    therapistEvery14Days: 0.5,
    prescriberEveryDays: 28,
    caseManagerEveryDays: 28,
    peerEveryDays: 14,
    noShow: 0.15,
    medicationChange: 0.15,
    groupEnrollment: 0.02,
    phq9EverySessions: 4,
  },
  behaviour: {
    awarenessHalfLifeDays: 3,
    document: { base: 0.3, named: 0.55 },
    insufficient: { base: 0.2, named: 0.12 },
    task: { base: 0.15, named: 0.45 },
    urPacketCheck: { businessDaysBefore: 2, probability: 0.8, actNow: 0.8 },
    actNow: { notice: 0.05, reminder: 0.1, urgent: 0.4, supervisor: 0.4, critical: 0.5 },
    read: { notice: 0.6, reminder: 0.7, urgent: 0.85, supervisor: 0.9, critical: 0.95 },
    samePatientSameDayOddsRatio: 0.7,
    repeatShareOddsRatioPer5Points: 0.9,
    repeatWindowDays: 30,
  },
};
