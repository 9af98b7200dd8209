/**
 * `@carerelay/testkit`: the conformance suites every CareRelay adapter runs, and scenario fixtures.
 * @packageDocumentation
 */
export { runStorageConformance } from './storage-conformance.js';
export type { StorageConformanceOptions, StorageInspector } from './storage-conformance.js';
export { SCENARIO_A, SCENARIO_B, STAFF_EVENTS } from './scenarios.js';
export type { Scenario } from './scenarios.js';
export { CONFORMANCE_DISPLAY_TOKEN, CONFORMANCE_PHI, conformanceDigest, runChannelConformance, type ChannelConformanceOptions } from './channel-conformance.js';
export { word, patientArb, notificationFor, phiOf, leaks, type GeneratedPatient } from './phi-arbitraries.js';
