/**
 * A deterministic planning walk, printed as one JSON line, for `process-time-zone.test.ts` to run under different
 * process time zones (`TZ=…`). It walks scenarios A and B (plus a discharge and a routine referral, whose due dates
 * are calendar and business days in the patient's zone) through `plan` every hour and at every wake-up over two
 * weeks and a half, with the therapist completing scenario B's items midway; asks for guidance, worklists and digests along
 * the way; and runs 20 seeded generated worlds (DST zones, overnight shifts, policies, absences) through the
 * invariant driver. Everything printed except `processOffsetMinutes` must be identical whatever the process zone.
 *
 * Run: node --import tsx --conditions=@carerelay/source packages/core/test/invariants/tz-walk.ts
 */
import fc from 'fast-check';
import {
  CalendarCache,
  type CareEventInput,
  EventSchema,
  type Notification,
  createCoreConfig,
  digest,
  emptyState,
  guidance,
  plan,
  reduce,
  worklist,
} from '@carerelay/core';
import { SCENARIO_A, SCENARIO_B } from '@carerelay/testkit/scenarios';
import { worldArb } from '../arbitraries.js';
import { simulate } from './simulate.js';

const HOUR = 3_600_000;
const config = createCoreConfig();
const tenantId = SCENARIO_A.tenantId;

const extra: CareEventInput[] = [
  { id: 'tz-1', tenantId, patientId: 'pat-a', type: 'fact.recorded', at: '2026-11-18T22:30:00Z', fact: { kind: 'transition', transition: 'discharge', setting: 'inpatient' } },
  { id: 'tz-2', tenantId, patientId: 'pat-a', type: 'careteam.assigned', at: '2026-11-18T22:30:00Z', member: { ownerId: 'ther-1', role: 'case_manager' } },
  { id: 'tz-3', tenantId, patientId: 'pat-b', type: 'fact.recorded', at: '2026-11-20T23:45:00Z', fact: { kind: 'referral', referralId: 'ref-1', urgency: 'routine' } },
  {
    id: 'tz-4',
    tenantId,
    patientId: 'pat-b',
    type: 'note.signed',
    at: '2026-11-24T16:00:00Z',
    noteId: 'note-b-1',
    ownerId: 'ther-2',
    addresses: ['auth-b:auth.adolescent-coping-progress', 'auth-b:auth.adolescent-school-attendance'],
  },
];

function scenarioWalk() {
  const seen = new Set<string>();
  const events = [...SCENARIO_A.events, ...SCENARIO_B.events, ...extra]
    .filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)))
    .map((e) => EventSchema.parse(e))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const calendars = new CalendarCache();
  let state = emptyState(tenantId);
  const notifications: Notification[] = [];
  const views: unknown[] = [];
  const from = Date.parse('2026-11-16T00:00:00Z');
  const to = Date.parse('2026-12-05T00:00:00Z');
  let next = 0;
  let now = from;
  while (now <= to) {
    while (next < events.length && Date.parse(events[next]!.at) <= now) state = reduce(state, events[next++]!, config);
    const iso = new Date(now).toISOString();
    const result = plan(state, iso, config, { calendars });
    state = result.state;
    notifications.push(...result.notifications);
    if (new Date(now).getUTCHours() === 15) {
      for (const ownerId of ['ther-1', 'ther-2', 'pres-1', 'ur-1', 'sup-1']) {
        views.push({ at: iso, ownerId, worklist: worklist(state, ownerId, iso, config), guidance: ['pat-a', 'pat-b'].map((patientId) => guidance(state, { patientId, ownerId }, iso, config)) });
      }
    }
    const hourly = now + HOUR;
    const wake = result.nextWakeAt === null ? Infinity : Date.parse(result.nextWakeAt);
    const event = next < events.length ? Date.parse(events[next]!.at) : Infinity;
    now = Math.min(hourly, wake > now ? wake : hourly, event > now ? event : hourly);
  }
  return { notifications, digests: digest(notifications, { windowMinutes: 60 }), views, finalState: state };
}

function generatedWorlds() {
  return fc.sample(worldArb, { seed: 20261123, numRuns: 20 }).map((world) => {
    const run = simulate(world);
    return { anchor: world.anchor, zone: world.zone, emitted: run.emitted, final: run.final };
  });
}

process.stdout.write(
  `${JSON.stringify({
    processOffsetMinutes: new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(),
    output: { scenarios: scenarioWalk(), generated: generatedWorlds() },
  })}\n`,
);
