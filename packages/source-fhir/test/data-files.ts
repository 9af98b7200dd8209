import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared public test data (`../shared/data` from the repository root), read in place, never copied. */
export const DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
/** US Core 9.0.0 example resources. */
export const US_CORE_DIR = join(DATA_DIR, 'fhir-r4', 'us-core');
/** Synthea 10-patient FHIR Bulk Data export. */
export const SYNTHEA_DIR = join(DATA_DIR, 'fhir-r4', 'synthea-10-patients');

/** Every US Core example, by file name. */
export function usCoreExamples(): { file: string; resource: Record<string, unknown> }[] {
  return readdirSync(US_CORE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, resource: JSON.parse(readFileSync(join(US_CORE_DIR, file), 'utf8')) as Record<string, unknown> }));
}

/** The lines of one Synthea NDJSON file, parsed. */
export function syntheaResources(type: string): Record<string, unknown>[] {
  return readFileSync(join(SYNTHEA_DIR, `${type}.ndjson`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resource types present in the Synthea export. */
export const SYNTHEA_TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Encounter', 'Condition', 'MedicationRequest', 'Procedure'];
