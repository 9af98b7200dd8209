import type { Requirement, TaskView } from '@carerelay/core';
import type * as fhir4 from 'fhir/r4.js';
import { CARERELAY_SYSTEMS } from './code-systems.js';
import { type FhirMappingConfigInput, type ResolvedMappingConfig, toResolvedConfig } from './mapping-config.js';
import { ownerReference, toFhirId } from './references.js';

/** Options of {@link taskToFhir}. */
export interface TaskExportOptions {
  /** The case's requirements (`CaseState.requirements`), so `Task.input` lists their PHI-free summaries. */
  requirements?: Readonly<Record<string, Pick<Requirement, 'summary' | 'status'>>>;
  /** The resource the milestone came from (a Coverage, an Encounter); default: the milestone id as an identifier. */
  focus?: fhir4.Reference;
  /** `Task.lastModified`; must not precede the task's opening (FHIR invariant inv-1). */
  lastModified?: string;
  /** Mapping configuration (for owner references: `npi:…` owner ids become NPI identifiers). */
  config?: ResolvedMappingConfig | FhirMappingConfigInput;
}

const LEVEL_PRIORITY = { notice: 'routine', reminder: 'routine', urgent: 'urgent', supervisor: 'urgent', critical: 'stat' } as const;

/**
 * The FHIR status of a CareRelay task, on the FHIR Task state machine: an open task routed to a coordinator because
 * nobody fills the role is `requested` (action sought, no performer yet); an assigned one with nothing documented is
 * `ready`; with some requirements documented, `in-progress`; then `completed` or `cancelled`.
 */
export function fhirTaskStatus(task: Pick<TaskView, 'status' | 'unassigned' | 'requirementIds' | 'openRequirementIds'>): 'requested' | 'ready' | 'in-progress' | 'completed' | 'cancelled' {
  if (task.status === 'completed') return 'completed';
  if (task.status === 'cancelled') return 'cancelled';
  if (task.unassigned) return 'requested';
  return task.openRequirementIds.length < task.requirementIds.length ? 'in-progress' : 'ready';
}

function businessStatus(task: TaskView): fhir4.CodeableConcept {
  const code =
    task.status === 'completed'
      ? 'documented'
      : task.status === 'cancelled'
        ? 'withdrawn'
        : task.overdue
          ? 'overdue'
          : task.openRequirementIds.length < task.requirementIds.length
            ? 'partially-documented'
            : 'awaiting-documentation';
  const coding: fhir4.Coding[] = [{ system: CARERELAY_SYSTEMS.taskBusinessStatus, code }];
  if (task.lastLevel) coding.push({ system: CARERELAY_SYSTEMS.escalationLevel, code: task.lastLevel });
  return { coding, text: task.lastLevel ? `${code} (last reminder: ${task.lastLevel})` : code };
}

/**
 * A CareRelay task as a FHIR R4 `Task`: `intent: order`; status on the FHIR state machine ({@link fhirTaskStatus});
 * `businessStatus` (awaiting documentation, partially documented, overdue, …, plus the last escalation level);
 * `for` the patient (displayed by token, never by name); `owner` the practitioner; `focus` the milestone;
 * `restriction.period.end` the deadline; one `input` per requirement with its PHI-free summary.
 */
export function taskToFhir(task: TaskView, options: TaskExportOptions = {}): fhir4.Task {
  const config = toResolvedConfig(options.config);
  const label = task.milestoneLabel ?? task.milestoneKind.replaceAll('_', ' ');
  const open = new Set(task.openRequirementIds);
  const input: fhir4.TaskInput[] = task.requirementIds.map((id) => {
    const done = !open.has(id);
    return {
      type: { coding: [{ system: CARERELAY_SYSTEMS.taskInput, code: done ? 'requirement-done' : 'requirement-open' }], text: done ? 'Documented requirement' : 'Open requirement' },
      valueString: options.requirements?.[id]?.summary ?? id,
    };
  });
  const lastModified = options.lastModified !== undefined && Date.parse(options.lastModified) >= Date.parse(task.openedAt) ? options.lastModified : undefined;
  return {
    resourceType: 'Task',
    id: toFhirId(task.id),
    identifier: [{ system: CARERELAY_SYSTEMS.taskId, value: task.id }],
    status: fhirTaskStatus(task),
    businessStatus: businessStatus(task),
    intent: 'order',
    priority: task.lastLevel ? LEVEL_PRIORITY[task.lastLevel] : task.overdue ? 'asap' : 'routine',
    code: { coding: [{ system: CARERELAY_SYSTEMS.milestoneKind, code: task.milestoneKind }], text: label },
    description: label,
    focus: options.focus ?? { identifier: { system: CARERELAY_SYSTEMS.milestoneId, value: task.milestoneId }, display: label },
    for: { reference: `Patient/${task.patientId}`, display: task.displayToken },
    authoredOn: task.openedAt,
    ...(lastModified === undefined ? {} : { lastModified }),
    executionPeriod: { start: task.openedAt },
    owner: ownerReference(config, task.ownerId),
    restriction: { period: { end: task.deadline } },
    ...(input.length === 0 ? {} : { input }),
  };
}
