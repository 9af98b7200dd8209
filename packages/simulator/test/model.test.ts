import { DAY } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import { Behaviour } from '../src/behaviour.js';
import { planClinic } from '../src/clinic.js';
import type { DeliveredMessage } from '../src/messages.js';
import { DEFAULT_PARAMETERS } from '../src/parameters.js';
import { SeededRandom, keyedUniform } from '../src/random.js';

describe('seeded randomness', () => {
  it('mulberry32 gives the same stream for the same seed, and another for another seed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keyed draws depend only on the seed and the key (common random numbers), and are uniform', () => {
    expect(keyedUniform(1, 'read', 'm1', 'ther-01')).toBe(keyedUniform(1, 'read', 'm1', 'ther-01'));
    expect(keyedUniform(1, 'read', 'm1', 'ther-01')).not.toBe(keyedUniform(1, 'read', 'm1', 'ther-02'));
    const draws = Array.from({ length: 20_000 }, (_, i) => keyedUniform(7, 'x', i));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(draws.filter((x) => x < 0.1).length / draws.length).toBeCloseTo(0.1, 1);
  });
});

describe('the clinic plan', () => {
  const plan = planClinic({ seed: 5, days: 90, patients: 1500, parameters: DEFAULT_PARAMETERS });

  it('is identical for the same seed', () => {
    const again = planClinic({ seed: 5, days: 90, patients: 1500, parameters: DEFAULT_PARAMETERS });
    expect(JSON.stringify(again)).toBe(JSON.stringify(plan));
  });

  it('staffs 40 clinicians by role, across several US time zones, with working hours and supervisors', () => {
    const count = (role: string) => plan.staff.filter((o) => o.role === role).length;
    expect(plan.staff).toHaveLength(40);
    expect([count('therapist'), count('prescriber'), count('case_manager'), count('ur_coordinator'), count('peer_specialist'), count('supervisor')]).toEqual([16, 5, 6, 4, 5, 4]);
    expect(new Set(plan.staff.map((o) => o.timeZone)).size).toBeGreaterThanOrEqual(4);
    expect(plan.staff.every((o) => o.workingHours.length > 0)).toBe(true);
    expect(plan.staff.filter((o) => o.role !== 'supervisor').every((o) => o.supervisorId?.startsWith('sup-'))).toBe(true);
  });

  it('has 1,500 patients with an adolescent/adult mix, care teams, review cycles and medication changes', () => {
    const adolescents = plan.patients.filter((p) => (p.patient.age ?? 0) < 18).length / plan.patients.length;
    expect(plan.patients).toHaveLength(1500);
    expect(adolescents).toBeGreaterThan(0.15);
    expect(adolescents).toBeLessThan(0.25);
    expect(plan.patients.every((p) => p.team.some((m) => m.role === 'therapist') && p.team.some((m) => m.role === 'ur_coordinator'))).toBe(true);
    expect(plan.patients.every((p) => p.cycles.length > 0 && p.cycles.every((c) => c.reviewDue < c.expiryDue))).toBe(true);
    expect(plan.sessions.filter((s) => s.medicationChange).length).toBeGreaterThan(50);
    expect(plan.sessions.filter((s) => s.groupEnrollment).length).toBeGreaterThan(5);
  });

  it('plans absences (leave with a cover, sick days), hospital stays and referrals', () => {
    expect(plan.absences.some((a) => a.kind === 'leave' && a.coverOwnerId !== undefined)).toBe(true);
    expect(plan.absences.some((a) => a.kind === 'sick')).toBe(true);
    expect(plan.stays.length).toBeGreaterThan(20);
    expect(plan.stays.every((s) => s.dischargeAt > s.admitAt)).toBe(true);
    expect(plan.referrals.length).toBeGreaterThan(80);
    // Sessions of an absent clinician are cancelled.
    const leave = plan.absences.find((a) => a.kind === 'leave')!;
    const during = plan.sessions.filter((s) => s.ownerId === leave.ownerId && s.at >= leave.start && s.at < leave.end);
    expect(during.every((s) => s.cancelled)).toBe(true);
  });
});

describe('the behaviour model', () => {
  const message = (id: string, at: number, patientId: string, level: DeliveredMessage['level'] = 'reminder'): DeliveredMessage => ({
    id,
    recipientId: 'ther-01',
    at,
    level,
    critical: false,
    notifications: [{ id, patientId, milestoneId: `${patientId}:m`, level, items: [] }],
  });

  it('forgets: awareness is 1 when an item is named and halves every half-life', () => {
    const b = new Behaviour(DEFAULT_PARAMETERS, 1);
    expect(b.awareness('ther-01', 'r1', 0)).toBe(0);
    b.name('ther-01', 'r1', 0);
    expect(b.awareness('ther-01', 'r1', 0)).toBe(1);
    expect(b.awareness('ther-01', 'r1', 3 * DAY)).toBeCloseTo(0.5);
    expect(b.awareness('ther-01', 'r1', 6 * DAY)).toBeCloseTo(0.25);
  });

  it('documents a named item more often than one never named', () => {
    const b = new Behaviour(DEFAULT_PARAMETERS, 1);
    expect(b.documentProbability(1)).toBeCloseTo(0.85);
    expect(b.documentProbability(0)).toBeCloseTo(0.3);
    expect(b.insufficientProbability(1)).toBeLessThan(b.insufficientProbability(0));
  });

  it('reads louder levels more, and repeats about the same patient less', () => {
    const b = new Behaviour(DEFAULT_PARAMETERS, 1);
    expect(b.readProbability(message('m1', 0, 'p1', 'notice'), 0)).toBeCloseTo(0.6);
    const fresh = new Behaviour(DEFAULT_PARAMETERS, 1);
    expect(fresh.readProbability(message('u1', 0, 'p1', 'urgent'), 0)).toBeCloseTo(0.85);
    // Same patient, same day: odds × 0.7; and a growing share of repeats lowers it further.
    const second = b.readProbability(message('m2', 60_000, 'p1', 'notice'), 0);
    expect(second).toBeLessThan(0.6);
    const later = Array.from({ length: 10 }, (_, i) => b.readProbability(message(`d${i}`, (i + 1) * DAY, 'p1', 'notice'), i + 1));
    expect(later[9]!).toBeLessThan(later[0]!);
  });
});
