/**
 * Scenario A, end to end through the pure core: an adult with panic disorder whose sertraline was raised
 * 50→100 mg nine days ago, enrolled in group therapy, with an authorization review on Thursday 10:00 in Chicago.
 * Run it: `npm start -w @carerelay/example-quickstart` (or `npx tsx --conditions=@carerelay/source examples/quickstart/scenario-a.ts`).
 */
import { EventSchema, createCoreConfig, emptyState, guidance, plan, reduce } from '@carerelay/core';
import { SCENARIO_A } from '@carerelay/testkit/scenarios';
import { formatInTimeZone } from 'date-fns-tz';

const config = createCoreConfig(); // the default rule pack and escalation ladder
let state = emptyState(SCENARIO_A.tenantId);
for (const event of SCENARIO_A.events) state = reduce(state, EventSchema.parse(event), config);

const monday = '2026-11-23T15:00:00Z'; // Monday 09:00 in Chicago, before the session
const chicago = (iso: string) => formatInTimeZone(iso, 'America/Chicago', 'EEE d MMM HH:mm zzz');

console.log(`Guidance for the therapist (ther-1) on ${chicago(monday)}: the next note for ${SCENARIO_A.patientId} must address`);
for (const item of guidance(state, { patientId: SCENARIO_A.patientId, ownerId: 'ther-1' }, monday, config)) {
  console.log(`  • ${item.text}\n      for: ${item.milestoneLabel} (${chicago(item.deadline)})\n      why: ${item.reason}`);
}
for (const other of ['pres-1', 'ur-1']) {
  const items = guidance(state, { patientId: SCENARIO_A.patientId, ownerId: other }, monday, config);
  console.log(`Guidance for ${other}: ${items.length === 0 ? 'nothing — these items are not theirs' : items.map((i) => i.text).join('; ')}`);
}

// Walk the escalation ladder: plan at each wake-up until the review.
console.log('\nWho is told what, and when (Chicago time):');
let now = '2026-11-14T18:00:00Z';
for (;;) {
  const result = plan(state, now, config);
  state = result.state;
  for (const n of result.notifications) {
    console.log(`  ${chicago(n.deliverAt)}  ${n.recipientId.padEnd(7)} ${n.level.padEnd(8)} ${n.items.map((i) => i.text).join(' | ')}`);
  }
  if (!result.nextWakeAt || result.nextWakeAt >= '2026-11-26T16:00:00.000Z') break;
  now = result.nextWakeAt;
}
