/**
 * Runnable example: a Synthea Bulk Data export in, CareRelay tasks out as FHIR Task JSON.
 * Run from the repository root: `npx tsx --conditions=@carerelay/source packages/source-fhir/examples/fhir-quickstart.ts`
 */
import { fileURLToPath } from 'node:url';
import { type CaseEvent, createCoreConfig, emptyState, isCaseEvent, planCase, reduce } from '@carerelay/core';
import { createMappingContext, ingestBulkExport, taskToFhir } from '@carerelay/source-fhir';

const exportDir = fileURLToPath(new URL('../../../../shared/data/fhir-r4/synthea-10-patients/', import.meta.url));

// 1. Map: FHIR resources → CareRelay events. Vendor codes and defaults live in one validated configuration.
const ctx = createMappingContext({
  tenantId: 'clinic-north',
  config: {
    timeZone: 'America/Chicago',
    transitions: { mentalHealth: 'always' }, // this feed only carries the clinic's behavioral-health stays
    patients: { defaultCareTeam: [{ ownerId: 'npi:9999908392', role: 'case_manager' }] },
  },
});
const { events, warnings, invalid, summary } = await ingestBulkExport(exportDir, ctx);
console.log(`${summary.resources} resources → ${summary.events} events`, summary.factsByKind);
console.log(`${warnings.length} warnings, ${invalid.length} invalid, not relevant:`, summary.notRelevantByType);

// 2. Reduce and plan with the pure core: every discharge schedules FUH 7- and 30-day follow-ups, routed to an
//    owner; a patient's death (case.closed) cancels what is still open. Registrations first, then by time.
const config = createCoreConfig();
let state = emptyState('clinic-north');
const caseEvents = events.filter(isCaseEvent);
const first = (e: CaseEvent) => (e.type === 'patient.registered' || e.type === 'careteam.assigned' ? 0 : 1);
for (const event of events.filter((e) => !isCaseEvent(e))) state = reduce(state, event, config);
for (const event of caseEvents.sort((a, b) => first(a) - first(b) || a.at.localeCompare(b.at))) state = reduce(state, event, config);

// 3. Export: each open task as a FHIR R4 Task (write them with createFhirWriter({ baseUrl, bearerToken })).
const caseState = Object.values(state.cases).find((c) => Object.values(c.milestones).some((m) => m.status === 'scheduled'))!;
const plan = planCase(state.directory, caseState, '2026-11-02T15:00:00Z', config);
const task = taskToFhir(plan.tasks[0]!, { requirements: caseState.requirements });
console.log(`${plan.tasks.length} open tasks for ${caseState.patient?.displayToken}; the first as FHIR:`);
console.log(JSON.stringify(task, null, 2));
