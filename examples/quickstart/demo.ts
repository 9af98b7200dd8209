/**
 * The walk-through of scenarios A and B through the pure core: per person, what they are told and when,
 * in their own time zone. (`npm run demo` runs the clinic simulation, which ends with this walk-through.)
 */
import { type CareEventInput, CalendarCache, EventSchema, createCoreConfig, emptyState, guidance, plan, reduce } from '@carerelay/core';
import { SCENARIO_A, SCENARIO_B, type Scenario } from '@carerelay/testkit/scenarios';
import { formatInTimeZone } from 'date-fns-tz';

const config = createCoreConfig();

function walk(scenario: Scenario, from: string, until: string, sessions: Array<{ at: string; ownerId: string }>, later: CareEventInput[] = []): void {
  console.log(`\nScenario ${scenario.name}: ${scenario.description}`);
  let state = emptyState(scenario.tenantId);
  for (const event of scenario.events) state = reduce(state, EventSchema.parse(event), config);
  const zoneOf = (ownerId: string) => state.directory.owners[ownerId]?.timeZone ?? 'UTC';
  const local = (iso: string, ownerId: string) => formatInTimeZone(iso, zoneOf(ownerId), 'EEE d MMM HH:mm zzz');
  for (const { at, ownerId } of sessions) {
    const items = guidance(state, { patientId: scenario.patientId, ownerId }, at, config);
    console.log(`  Before ${ownerId}'s session (${local(at, ownerId)}), the note must address:${items.length ? '' : ' nothing'}`);
    for (const item of items) console.log(`    • ${item.text} — for ${item.milestoneLabel}, due ${local(item.deadline, ownerId)}\n      why: ${item.reason}`);
  }
  const pending = later.map((e) => EventSchema.parse(e));
  const calendars = new CalendarCache();
  const told: string[] = [];
  let now = from;
  for (;;) {
    while (pending.length && pending[0]!.at <= now) {
      const event = pending.shift()!;
      told.push(`    ${formatInTimeZone(event.at, 'UTC', 'EEE d MMM HH:mm')} UTC  — ${event.type}${'ownerId' in event ? ` by ${event.ownerId}` : ''}`);
      state = reduce(state, event, config);
    }
    const result = plan(state, now, config, { calendars });
    state = result.state;
    for (const n of result.notifications) {
      told.push(`    ${local(n.deliverAt, n.recipientId)}  ${n.recipientId} (${scenario.people[n.recipientId] ?? 'staff'}) ← ${n.level}: ${n.items.map((i) => i.text).join('; ')}`);
    }
    const next = [result.nextWakeAt, pending[0]?.at].filter((t): t is string => !!t && t > now).sort()[0];
    if (!next || next > until) break;
    now = next;
  }
  console.log('  Who is told what, and when (each in their own time zone):');
  for (const line of told) console.log(line);
}

walk(SCENARIO_A, '2026-11-14T17:00:00Z', '2026-11-26T16:00:00Z', [{ at: '2026-11-23T15:00:00Z', ownerId: 'ther-1' }, { at: '2026-11-23T15:00:00Z', ownerId: 'pres-1' }]);

const therapistItems = ['auth-b:auth.adolescent-coping-progress', 'auth-b:auth.adolescent-school-attendance'];
walk(
  SCENARIO_B,
  '2026-11-16T14:00:00Z',
  '2026-11-27T20:00:00Z',
  [{ at: '2026-11-23T14:00:00Z', ownerId: 'ther-2' }, { at: '2026-11-23T17:00:00Z', ownerId: 'pres-1' }],
  [{ id: 'b-note', tenantId: 'clinic-north', patientId: 'pat-b', type: 'note.signed', at: '2026-11-24T16:00:00Z', noteId: 'note-b1', ownerId: 'ther-2', addresses: therapistItems }],
);
