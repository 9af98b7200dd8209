import { describe, expect, it } from 'vitest';
import { createBaselineNotifier } from '../src/baseline-notifier.js';
import { createCareRelayNotifier } from '../src/carerelay-notifier.js';
import { planClinic } from '../src/clinic.js';
import { DEFAULT_PARAMETERS } from '../src/parameters.js';
import { type PolicyRun, runPolicy } from '../src/simulation.js';
import { ZoneTime } from '../src/zone-time.js';

describe('policies on a small clinic', async () => {
  const plan = planClinic({ seed: 21, days: 21, patients: 120, parameters: DEFAULT_PARAMETERS });
  const run = async (policy: 'broadcast' | 'silent' | 'carerelay'): Promise<PolicyRun> =>
    runPolicy(plan, policy === 'carerelay' ? createCareRelayNotifier({ start: plan.start - 2 * 86_400_000, databaseFile: ':memory:' }) : createBaselineNotifier(policy), { parameters: DEFAULT_PARAMETERS });
  const [broadcast, silent, carerelay] = [await run('broadcast'), await run('silent'), await run('carerelay')];
  const teamOf = (patientId: string) => new Set(broadcast.log.flatMap((e) => (e.type === 'careteam.assigned' && e.patientId === patientId ? [e.member.ownerId] : [])));
  const zones = new ZoneTime();
  const staff = new Map(plan.staff.map((o) => [o.id, o]));

  it('broadcast tells every care-team member, every business day at 08:00 their time, naming all open items', () => {
    expect(broadcast.messages.length).toBeGreaterThan(0);
    for (const m of broadcast.messages) {
      const n = m.notifications[0]!;
      expect(teamOf(n.patientId).has(m.recipientId)).toBe(true);
      const zone = staff.get(m.recipientId)!.timeZone;
      expect(zones.localHour(zone, m.at)).toBe(8);
      expect([1, 2, 3, 4, 5]).toContain(zones.localWeekday(zone, m.at));
    }
    // Some of its messages name only other people's items: they are not actionable for the recipient.
    expect(broadcast.metrics.actionable.share!).toBeLessThan(1);
  });

  it('silent-until-deadline sends each team member at most one message per milestone', () => {
    const keys = silent.messages.map((m) => `${m.notifications[0]!.milestoneId}|${m.recipientId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(silent.messages.every((m) => m.level === 'urgent')).toBe(true);
  });

  it('CareRelay, through the engine, names only the recipient’s own items (or, for a supervisor, the escalated person’s)', () => {
    expect(carerelay.messages.length).toBeGreaterThan(0);
    for (const m of carerelay.messages) {
      for (const n of m.notifications) {
        const owner = n.escalatedOwnerId ?? m.recipientId;
        expect(n.items.every((i) => i.ownerId === owner)).toBe(true);
      }
    }
    expect(carerelay.metrics.actionable.share).toBe(1);
    expect(carerelay.metrics.alertsPerClinicianDay.max!).toBeLessThanOrEqual(5); // the default daily budget
  });

  it('the three runs share the same clinic: same authorizations, referrals and discharges to measure', () => {
    const shape = (r: PolicyRun) => [r.metrics.treatmentInterruption.authorizations, r.metrics.timeToOwner.referrals, r.metrics.followUpAfterDischarge.discharges + r.metrics.followUpAfterDischarge.censored];
    expect(shape(silent)).toEqual(shape(broadcast));
    expect(shape(carerelay)).toEqual(shape(broadcast));
  });

  it('every delivered notification is in the event log with the record metrics need', () => {
    const delivered = carerelay.log.filter((e) => e.type === 'notification.delivered');
    expect(delivered.length).toBe(carerelay.records.length);
    expect(carerelay.metrics.alertsPerClinicianDay.unattributed).toBe(0);
  });
}, 120_000);
