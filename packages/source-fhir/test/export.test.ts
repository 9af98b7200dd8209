import { type CareEventInput, type CaseState, EventSchema, type TaskView, createCoreConfig, emptyState, planCase, reduce } from '@carerelay/core';
import type * as fhir4 from 'fhir/r4.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communicationToFhir, createFhirWriter, fhirTaskStatus, taskToFhir, transactionBundle } from '../src/index.js';
import { FhirTestServer } from './fhir-test-server.js';

// ---- A structural check of R4 Task, written from the specification (hl7.org/fhir/R4/task.html) ----

/** Task.status, required binding to http://hl7.org/fhir/ValueSet/task-status (12 codes). */
const TASK_STATUS = ['draft', 'requested', 'received', 'accepted', 'rejected', 'ready', 'cancelled', 'in-progress', 'on-hold', 'failed', 'completed', 'entered-in-error'];
/** Task.intent, required binding to http://hl7.org/fhir/ValueSet/task-intent. */
const TASK_INTENT = ['unknown', 'proposal', 'plan', 'order', 'original-order', 'reflex-order', 'filler-order', 'instance-order', 'option'];
/** Task.priority, required binding to request-priority. */
const PRIORITY = ['routine', 'urgent', 'asap', 'stat'];
/** Every element R4 Task defines (anything else is not a Task element). */
const TASK_ELEMENTS = new Set([
  'resourceType', 'id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension',
  'identifier', 'instantiatesCanonical', 'instantiatesUri', 'basedOn', 'groupIdentifier', 'partOf', 'status',
  'statusReason', 'businessStatus', 'intent', 'priority', 'code', 'description', 'focus', 'for', 'encounter',
  'executionPeriod', 'authoredOn', 'lastModified', 'requester', 'performerType', 'owner', 'location', 'reasonCode',
  'reasonReference', 'insurance', 'note', 'relevantHistory', 'restriction', 'input', 'output',
]);
/** Task.owner: Reference(Practitioner | PractitionerRole | Organization | CareTeam | HealthcareService | Patient | Device | RelatedPerson). */
const OWNER_TYPES = ['Practitioner', 'PractitionerRole', 'Organization', 'CareTeam', 'HealthcareService', 'Patient', 'Device', 'RelatedPerson'];
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const DATE_TIME = /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

function checkConcept(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) return;
  const cc = value as fhir4.CodeableConcept;
  if (typeof cc !== 'object' || (cc.coding === undefined && cc.text === undefined)) errors.push(`${path}: CodeableConcept needs coding or text`);
  for (const [i, coding] of (cc.coding ?? []).entries()) {
    if (typeof coding.system !== 'string' || !/^[a-z][a-z0-9+.-]*:/.test(coding.system)) errors.push(`${path}.coding.${i}.system: not a URI`);
    if (typeof coding.code !== 'string' || coding.code.trim() !== coding.code || coding.code === '') errors.push(`${path}.coding.${i}.code: not a code`);
  }
}

function checkReference(value: unknown, path: string, errors: string[], types?: string[]): void {
  if (value === undefined) return;
  const ref = value as fhir4.Reference;
  if (ref.reference === undefined && ref.identifier === undefined && ref.display === undefined) errors.push(`${path}: Reference needs reference, identifier or display`);
  if (ref.reference !== undefined) {
    const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(ref.reference);
    if (!m) errors.push(`${path}.reference: not a relative reference`);
    else if (types && !types.includes(m[1]!)) errors.push(`${path}.reference: ${m[1]} is not an allowed target`);
  }
  if (ref.identifier !== undefined && (typeof ref.identifier.system !== 'string' || typeof ref.identifier.value !== 'string')) errors.push(`${path}.identifier: needs system and value`);
}

function checkPeriod(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) return;
  const period = value as fhir4.Period;
  for (const key of ['start', 'end'] as const) if (period[key] !== undefined && !DATE_TIME.test(period[key]!)) errors.push(`${path}.${key}: not a dateTime`);
  // per-1: if present, start SHALL have a lower value than end.
  if (period.start && period.end && Date.parse(period.start) > Date.parse(period.end)) errors.push(`${path}: per-1 start after end`);
}

/** Problems of a would-be R4 Task; empty when it conforms structurally. */
function checkR4Task(task: Record<string, unknown>): string[] {
  const errors: string[] = [];
  if (task.resourceType !== 'Task') errors.push('resourceType: must be Task');
  for (const key of Object.keys(task)) if (!TASK_ELEMENTS.has(key)) errors.push(`${key}: not an element of Task`);
  if (task.id !== undefined && !ID.test(String(task.id))) errors.push('id: not a FHIR id');
  // Required elements (1..1) and their required bindings.
  if (!TASK_STATUS.includes(task.status as string)) errors.push('status: missing or not in task-status');
  if (!TASK_INTENT.includes(task.intent as string)) errors.push('intent: missing or not in task-intent');
  if (task.priority !== undefined && !PRIORITY.includes(task.priority as string)) errors.push('priority: not in request-priority');
  for (const key of ['statusReason', 'businessStatus', 'code', 'performerType', 'reasonCode']) checkConcept(task[key], key, errors);
  if (task.description !== undefined && typeof task.description !== 'string') errors.push('description: not a string');
  checkReference(task.focus, 'focus', errors);
  checkReference(task.for, 'for', errors);
  checkReference(task.owner, 'owner', errors, OWNER_TYPES);
  checkReference(task.requester, 'requester', errors);
  for (const key of ['authoredOn', 'lastModified']) if (task[key] !== undefined && !DATE_TIME.test(task[key] as string)) errors.push(`${key}: not a dateTime`);
  // inv-1: Last modified date must be greater than or equal to authored-on date.
  if (task.authoredOn && task.lastModified && Date.parse(task.lastModified as string) < Date.parse(task.authoredOn as string)) errors.push('inv-1: lastModified before authoredOn');
  checkPeriod(task.executionPeriod, 'executionPeriod', errors);
  const restriction = task.restriction as fhir4.TaskRestriction | undefined;
  if (restriction) {
    checkPeriod(restriction.period, 'restriction.period', errors);
    if (restriction.repetitions !== undefined && !(Number.isInteger(restriction.repetitions) && restriction.repetitions > 0)) errors.push('restriction.repetitions: not a positiveInt');
  }
  for (const list of ['input', 'output'] as const) {
    for (const [i, parameter] of ((task[list] as Record<string, unknown>[] | undefined) ?? []).entries()) {
      // type 1..1, value[x] 1..1
      if (parameter.type === undefined) errors.push(`${list}.${i}.type: required`);
      checkConcept(parameter.type, `${list}.${i}.type`, errors);
      const values = Object.keys(parameter).filter((k) => k.startsWith('value'));
      if (values.length !== 1) errors.push(`${list}.${i}.value[x]: exactly one required`);
    }
  }
  return errors;
}

// ---- A real task from the core: a discharge → FUH follow-up, routed to the case manager ----

const config = createCoreConfig();
const at = (iso: string) => iso;
const events: CareEventInput[] = [
  { id: 'e1', tenantId: 't', at: at('2026-11-02T15:00:00Z'), type: 'owner.upserted', owner: { tenantId: 't', id: 'npi:1234567893', role: 'case_manager', timeZone: 'America/Chicago' } },
  { id: 'e2', tenantId: 't', at: at('2026-11-02T15:00:00Z'), type: 'owner.upserted', owner: { tenantId: 't', id: 'prescriber-7', role: 'prescriber', timeZone: 'America/Chicago' } },
  { id: 'e3', tenantId: 't', patientId: 'pat-1', at: at('2026-11-02T15:00:00Z'), type: 'patient.registered', patient: { tenantId: 't', id: 'pat-1', displayToken: 'P·4821', timeZone: 'America/Chicago' } },
  { id: 'e4', tenantId: 't', patientId: 'pat-1', at: at('2026-11-02T15:00:00Z'), type: 'careteam.assigned', member: { ownerId: 'npi:1234567893', role: 'case_manager' } },
  { id: 'e5', tenantId: 't', patientId: 'pat-1', at: at('2026-11-02T15:00:00Z'), type: 'careteam.assigned', member: { ownerId: 'prescriber-7', role: 'prescriber' } },
  { id: 'e6', tenantId: 't', patientId: 'pat-1', at: at('2026-11-01T16:00:00Z'), type: 'fact.recorded', fact: { kind: 'medication_change', medication: 'sertraline Oral Tablet', change: 'increase', fromDose: '50 MG', toDose: '100 MG' } },
  { id: 'e7', tenantId: 't', patientId: 'pat-1', at: at('2026-11-03T18:00:00Z'), type: 'fact.recorded', fact: { kind: 'transition', transition: 'discharge', setting: 'inpatient', mentalHealth: true, encounterId: 'enc-1' } },
];

function planned(now: string): { caseState: CaseState; tasks: TaskView[]; plan: ReturnType<typeof planCase> } {
  let state = emptyState('t');
  for (const event of events) state = reduce(state, EventSchema.parse(event), config);
  const caseState = state.cases['pat-1']!;
  const plan = planCase(state.directory, caseState, now, config);
  return { caseState, tasks: plan.tasks, plan };
}

describe('CareRelay tasks out as FHIR Task', () => {
  const { caseState, tasks } = planned('2026-11-04T15:00:00Z');
  const caseManagerTask = tasks.find((t) => t.role === 'case_manager')!;

  it('exports a real FUH task that passes the R4 Task structural check', () => {
    expect(caseManagerTask).toBeDefined();
    const task = taskToFhir(caseManagerTask, { requirements: caseState.requirements, lastModified: '2026-11-04T15:00:00.000Z' });
    expect(checkR4Task(task as unknown as Record<string, unknown>)).toEqual([]);
    expect(task).toMatchObject({
      resourceType: 'Task',
      status: 'ready',
      intent: 'order',
      for: { reference: 'Patient/pat-1', display: 'P·4821' },
      owner: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' } },
      focus: { identifier: { value: caseManagerTask.milestoneId } },
      restriction: { period: { end: caseManagerTask.deadline } },
      businessStatus: { coding: [{ code: 'awaiting-documentation' }] },
    });
    expect(task.id).toMatch(/^task-[0-9a-f]{16}$/);
    expect(task.input?.map((i) => i.valueString)).toEqual(['Post-discharge follow-up visit']);
    expect(JSON.stringify(task)).not.toContain('sertraline');
    const prescriber = taskToFhir(tasks.find((t) => t.role === 'prescriber')!, { requirements: caseState.requirements });
    expect(prescriber.owner).toEqual({ reference: 'Practitioner/prescriber-7' });
    expect(prescriber.input?.map((i) => i.valueString)).toEqual(['Medication reconciliation after discharge']);
  });

  it('maps every lifecycle state onto the FHIR Task state machine, each passing the check', () => {
    const lifecycle: [Partial<TaskView>, string, string][] = [
      [{ unassigned: true }, 'requested', 'awaiting-documentation'],
      [{}, 'ready', 'awaiting-documentation'],
      [{ requirementIds: ['a', 'b'], openRequirementIds: ['b'] }, 'in-progress', 'partially-documented'],
      [{ overdue: true, lastLevel: 'urgent' }, 'ready', 'overdue'],
      [{ status: 'completed', openRequirementIds: [] }, 'completed', 'documented'],
      [{ status: 'cancelled' }, 'cancelled', 'withdrawn'],
    ];
    for (const [change, status, business] of lifecycle) {
      const view = { ...caseManagerTask, ...change };
      const task = taskToFhir(view);
      expect(fhirTaskStatus(view)).toBe(status);
      expect(task.status).toBe(status);
      expect(task.businessStatus?.coding?.[0]?.code).toBe(business);
      expect(checkR4Task(task as unknown as Record<string, unknown>)).toEqual([]);
    }
    expect(taskToFhir({ ...caseManagerTask, lastLevel: 'critical' }).priority).toBe('stat');
  });

  it('the structural check rejects what R4 forbids (so it can fail)', () => {
    const good = taskToFhir(caseManagerTask) as unknown as Record<string, unknown>;
    expect(checkR4Task({ ...good, status: 'open' })).toContain('status: missing or not in task-status');
    expect(checkR4Task({ ...good, intent: undefined })).toContain('intent: missing or not in task-intent');
    expect(checkR4Task({ ...good, owner: { reference: 'Encounter/x' } })).toContain('owner.reference: Encounter is not an allowed target');
    expect(checkR4Task({ ...good, lastModified: '2020-01-01T00:00:00Z' })).toContain('inv-1: lastModified before authoredOn');
    expect(checkR4Task({ ...good, input: [{ type: { text: 'x' } }] })).toContain('input.0.value[x]: exactly one required');
    expect(checkR4Task({ ...good, deadline: 'x' })).toContain('deadline: not an element of Task');
    // A lastModified before the task opened is dropped by the exporter rather than producing an invalid Task.
    expect(taskToFhir(caseManagerTask, { lastModified: '2020-01-01T00:00:00Z' }).lastModified).toBeUndefined();
  });
});

describe('delivered notifications out as FHIR Communication, and writing to a server', () => {
  let server: FhirTestServer;
  beforeAll(async () => {
    server = await new FhirTestServer('writer-token').start();
  });
  afterAll(async () => {
    await server.close();
  });

  // Late enough that the escalation ladder has a step due.
  const { caseState, tasks, plan } = planned('2026-11-09T15:00:00Z');
  const notification = plan.notifications.find((n) => n.recipientId === 'prescriber-7')!;

  it('exports a delivered notification as a completed Communication without PHI by default', () => {
    expect(notification).toBeDefined();
    const communication = communicationToFhir(notification, { channel: 'email', deliveredAt: '2026-11-09T15:00:05.000Z' });
    expect(communication).toMatchObject({
      resourceType: 'Communication',
      status: 'completed',
      subject: { reference: 'Patient/pat-1', display: 'P·4821' },
      recipient: [{ reference: 'Practitioner/prescriber-7' }],
      basedOn: [{ reference: `Task/${notification.taskId.replace('_', '-')}` }],
      sent: '2026-11-09T15:00:05.000Z',
      medium: [{ text: 'email' }],
      category: [{ coding: [{ code: notification.level }] }],
    });
    expect(JSON.stringify(communication)).not.toContain('sertraline');
    expect(JSON.stringify(communicationToFhir(notification, { channel: 'in_app', deliveredAt: '2026-11-09T15:00:05Z' }, { includeText: true }))).toContain('sertraline');
  });

  it('PUTs Tasks and Communications by id (through a 429), idempotently, with the bearer token', async () => {
    const waits: number[] = [];
    const writer = createFhirWriter({ baseUrl: server.url, bearerToken: 'writer-token', sleep: async (ms) => void waits.push(ms) });
    const resources: fhir4.Resource[] = [
      ...tasks.map((t) => taskToFhir(t, { requirements: caseState.requirements })),
      communicationToFhir(notification, { channel: 'email', deliveredAt: '2026-11-09T15:00:05Z' }),
    ];
    server.failures.push({ request: server.requests.length + 1, status: 429, retryAfter: '1' });
    const first = await writer.putAll(resources);
    expect(first.map((r) => [r.resourceType, r.status])).toEqual([...tasks.map(() => ['Task', 201]), ['Communication', 201]]);
    expect(waits).toEqual([1000]);
    const again = await writer.putAll(resources);
    expect(again.every((r) => r.status === 200 && !r.created)).toBe(true);
    expect(server.puts.map((p) => p.contentType)).toEqual(Array(resources.length * 2).fill('application/fhir+json'));
    expect(server.puts[0]?.body).toEqual(JSON.parse(JSON.stringify(resources[0])));
    expect(server.count('Task')).toBe(tasks.length);
    for (const stored of server.puts.filter((p) => p.type === 'Task')) expect(checkR4Task(stored.body)).toEqual([]);
  });

  it('bundles resources as a transaction of PUTs for servers that take one request', () => {
    const bundle = transactionBundle(tasks.map((t) => taskToFhir(t)));
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry?.map((e) => e.request)).toEqual(tasks.map((t) => ({ method: 'PUT', url: `Task/${t.id.replace('_', '-')}` })));
  });
});
