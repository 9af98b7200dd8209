import type { CareEventInput, GuidanceItem, Notification } from '@carerelay/core';
import { type Channel, createCoordinator, createInboxChannel, createManualClock } from '@carerelay/engine';
import { createSqliteStorage } from '@carerelay/storage-sqlite';
import { SCENARIO_A, SCENARIO_B, type Scenario } from '@carerelay/testkit/scenarios';
import { LocalTimeFormat } from './local-time.js';

/** A scripted moment of a walk-through: show someone's guidance, or something that happens in the EHR. */
export type ScriptStep =
  | { at: string; kind: 'guidance'; ownerId: string; what: string }
  | { at: string; kind: 'event'; event: CareEventInput; what: string };

/** A scenario with its script and the span of time to walk. */
export interface Walk {
  scenario: Scenario;
  from: string;
  until: string;
  script: ScriptStep[];
}

const STEP_MS = 15 * 60_000;

/**
 * Runs a scenario through the real engine (SQLite in memory, manual clock, every 15 minutes) and tells, in each
 * person's own time zone, who was told what and when — plus the scripted guidance and events.
 */
export async function walkThrough(walk: Walk): Promise<string[]> {
  const { scenario } = walk;
  const storage = createSqliteStorage({ filename: ':memory:' });
  const clock = createManualClock(walk.from);
  const email: Channel = { name: 'email', trust: 'phi-minimal', send: async () => ({ status: 'delivered' }) };
  const coordinator = createCoordinator({ tenantId: scenario.tenantId, storage, clock, workerId: 'walkthrough', channels: [createInboxChannel(storage, { now: () => clock.now() }), email] });
  const queued = new Map<string, Notification>();
  const delivered: Array<{ notificationId: string; messageId: string; recipientId: string; at: string; channels: string[] }> = [];
  coordinator.on('notification.queued', ({ notification }) => queued.set(notification.id, notification));
  coordinator.on('notification.delivered', (e) => delivered.push(e));
  const times = new LocalTimeFormat();
  const zoneOf = (id: string) => {
    for (const e of scenario.events) if (e.type === 'owner.upserted' && e.owner.id === id) return e.owner.timeZone;
    return 'UTC';
  };
  const who = (id: string) => `${id} (${scenario.people[id] ?? 'staff'})`;
  const lines: string[] = [`Scenario ${scenario.name}: ${scenario.description}`];
  const counts = new Map<string, number>();
  try {
    const setup = await coordinator.ingest(scenario.events);
    if (setup.quarantined + setup.failed > 0) throw new Error(`walk-through: scenario ${scenario.name} has events the engine rejected`);
    const script = [...walk.script];
    for (let t = Date.parse(walk.from); t <= Date.parse(walk.until); t += STEP_MS) {
      clock.set(new Date(t).toISOString());
      while (script.length > 0 && Date.parse(script[0]!.at) <= t) {
        const step = script.shift()!;
        if (step.kind === 'guidance') {
          const items: GuidanceItem[] = await coordinator.guidance(scenario.patientId, step.ownerId);
          lines.push(`  ${times.format(step.at, zoneOf(step.ownerId))}  ${step.what}: guidance for ${who(step.ownerId)} lists ${items.length === 0 ? 'nothing' : `${items.length} item${items.length === 1 ? '' : 's'}`}`);
          for (const item of items) lines.push(`      • ${item.text} — for ${item.milestoneLabel ?? item.milestoneKind}, due ${times.format(item.deadline, zoneOf(step.ownerId))}`);
        } else {
          await coordinator.ingest([step.event]);
          const actor = 'ownerId' in step.event ? String(step.event.ownerId) : '';
          lines.push(`  ${times.format(step.at, actor ? zoneOf(actor) : 'UTC')}  ${step.what}`);
        }
      }
      await coordinator.tick();
      const byMessage = new Map<string, Notification[]>();
      for (const d of delivered.splice(0, delivered.length)) {
        const key = `${d.recipientId}\u0000${d.messageId}\u0000${d.at}`;
        byMessage.set(key, [...(byMessage.get(key) ?? []), queued.get(d.notificationId)!]);
      }
      for (const [key, notifications] of byMessage) {
        const [recipientId, , at] = key.split('\u0000') as [string, string, string];
        counts.set(recipientId, (counts.get(recipientId) ?? 0) + 1);
        for (const n of notifications) {
          const what = n.escalatedOwnerId === undefined ? n.items.map((i) => i.text).join('; ') : `${n.escalatedOwnerId}'s overdue items: ${n.items.map((i) => i.text).join('; ')}`;
          const label = n.items[0]?.milestoneLabel ?? n.milestoneKind;
          lines.push(`  ${times.format(at, zoneOf(recipientId))}  ${who(recipientId)} ← ${n.level}: ${what} — ${label}, due ${times.format(n.deadline, zoneOf(recipientId))}`);
        }
      }
    }
  } finally {
    await coordinator.close();
  }
  const everyone = Object.keys(scenario.people).sort();
  lines.push(`  Messages received: ${everyone.map((id) => `${id} ${counts.get(id) ?? 0}`).join(', ')}`);
  return lines;
}

const A_REVIEW = 'auth-a-review';
const B_REVIEW = 'auth-b';

/** Scenario A: the therapist is told before Monday's session, documents the three items, and hears nothing more. */
export const WALK_A: Walk = {
  scenario: SCENARIO_A,
  from: '2026-11-14T17:00:00Z',
  until: '2026-11-27T18:00:00Z',
  script: [
    { at: '2026-11-23T20:45:00Z', kind: 'guidance', ownerId: 'ther-1', what: 'before the 15:00 session' },
    { at: '2026-11-23T20:45:00Z', kind: 'guidance', ownerId: 'pres-1', what: 'the same moment' },
    {
      at: '2026-11-23T22:00:00Z',
      kind: 'event',
      what: 'ther-1 signs the session note addressing the three items (scripted)',
      event: { id: 'walk-a-note', tenantId: SCENARIO_A.tenantId, patientId: SCENARIO_A.patientId, type: 'note.signed', at: '2026-11-23T22:00:00Z', noteId: 'walk-a-note', ownerId: 'ther-1', addresses: [`${A_REVIEW}:auth.med-adherence-after-change`, `${A_REVIEW}:auth.panic-frequency`, `${A_REVIEW}:auth.group-participation`] },
    },
  ],
};

/** Scenario B: the therapist completes their two items; the prescriber does not, and their ladder runs on to the supervisor. */
export const WALK_B: Walk = {
  scenario: SCENARIO_B,
  from: '2026-11-16T14:00:00Z',
  until: '2026-11-28T20:00:00Z',
  script: [
    { at: '2026-11-23T14:00:00Z', kind: 'guidance', ownerId: 'ther-2', what: 'Monday morning' },
    { at: '2026-11-23T17:00:00Z', kind: 'guidance', ownerId: 'pres-1', what: 'Monday morning' },
    {
      at: '2026-11-24T16:00:00Z',
      kind: 'event',
      what: 'ther-2 signs a note addressing coping-strategy progress and school attendance (scripted); the prescriber documents nothing',
      event: { id: 'walk-b-note', tenantId: SCENARIO_B.tenantId, patientId: SCENARIO_B.patientId, type: 'note.signed', at: '2026-11-24T16:00:00Z', noteId: 'walk-b-note', ownerId: 'ther-2', addresses: [`${B_REVIEW}:auth.adolescent-coping-progress`, `${B_REVIEW}:auth.adolescent-school-attendance`] },
    },
  ],
};
