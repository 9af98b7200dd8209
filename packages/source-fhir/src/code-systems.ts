/** Code-system URIs this package reads and writes. */
export const SYSTEMS = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  nucc: 'http://nucc.org/provider-taxonomy',
  cpt: 'http://www.ama-assn.org/go/cpt',
  npi: 'http://hl7.org/fhir/sid/us-npi',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationFunction: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationFunction',
  practitionerRole: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
  episodeOfCareType: 'http://terminology.hl7.org/CodeSystem/episodeofcare-type',
} as const;

/** CareRelay's own code systems and identifier systems (for codes FHIR has no value set for). */
export const CARERELAY_SYSTEMS = {
  /** Roles by CareRelay name (`therapist`, `case_manager`, …), for vendors that code roles directly. */
  role: 'https://carerelay.dev/fhir/CodeSystem/role',
  /** Services by CareRelay name (`group_therapy`, …). */
  service: 'https://carerelay.dev/fhir/CodeSystem/service',
  /** Programs by CareRelay name. */
  program: 'https://carerelay.dev/fhir/CodeSystem/program',
  /** Milestone kinds (`discharge_follow_up`, …): `Task.code`. */
  milestoneKind: 'https://carerelay.dev/fhir/CodeSystem/milestone-kind',
  /** Task business statuses: `Task.businessStatus`. */
  taskBusinessStatus: 'https://carerelay.dev/fhir/CodeSystem/task-business-status',
  /** Escalation levels (`notice` … `critical`): `Communication.category`, `Task.businessStatus`. */
  escalationLevel: 'https://carerelay.dev/fhir/CodeSystem/escalation-level',
  /** Kinds of `Task.input`. */
  taskInput: 'https://carerelay.dev/fhir/CodeSystem/task-input',
  /** Notification channels: `Communication.medium`. */
  channel: 'https://carerelay.dev/fhir/CodeSystem/channel',
  /** Identifier system of CareRelay task ids. */
  taskId: 'https://carerelay.dev/fhir/sid/task',
  /** Identifier system of CareRelay milestone ids (`Task.focus.identifier`). */
  milestoneId: 'https://carerelay.dev/fhir/sid/milestone',
  /** Identifier system of CareRelay notification ids. */
  notificationId: 'https://carerelay.dev/fhir/sid/notification',
  /** Identifier system of CareRelay owner ids that are neither a Practitioner id nor a configured identifier. */
  ownerId: 'https://carerelay.dev/fhir/sid/owner',
} as const;
