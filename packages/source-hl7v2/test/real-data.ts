import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared public HL7 v2 samples (read in place, never copied into the project). */
export const HL7_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/hl7v2/', import.meta.url));

/** Every `.hl7` file name in the shared data folder, sorted. */
export function hl7FileNames(): string[] {
  return readdirSync(HL7_DATA_DIR)
    .filter((name) => name.endsWith('.hl7'))
    .sort();
}

/** The text of one sample file. */
export function hl7File(name: string): string {
  return readFileSync(HL7_DATA_DIR + name, 'utf8');
}

/** Every sample as `[name, text]`. */
export function hl7Files(): Array<[string, string]> {
  return hl7FileNames().map((name) => [name, hl7File(name)]);
}
