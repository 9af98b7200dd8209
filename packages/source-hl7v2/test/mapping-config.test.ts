import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHl7MappingConfig, DEFAULT_DIAGNOSIS_CATEGORIES, ingestHl7, loadHl7MappingFile, parseHl7MappingConfig } from '../src/index.js';
import { adt } from './messages.js';

describe('mapping configuration', () => {
  it('has working defaults: UTC, MR identifiers, P· tokens, default code tables merged', () => {
    const config = createHl7MappingConfig();
    expect(config.timeZone).toBe('UTC');
    expect(config.patientIdentifier).toEqual({ typeCode: 'MR', prefix: '' });
    expect(config.displayToken).toEqual({ prefix: 'P', digits: 4, initials: false });
    expect(config.patientClasses.I).toBe('inpatient');
    expect(config.diagnosisCategories['F41.0']).toBe('panic_disorder');
  });

  it('merges vendor codes over the defaults, or replaces them when asked', () => {
    const merged = createHl7MappingConfig({ patientClasses: { R: 'residential' }, diagnosisCategories: { 'F41.0': 'panic' } });
    expect(merged.patientClasses).toMatchObject({ I: 'inpatient', R: 'residential' });
    expect(merged.diagnosisCategories['F41.0']).toBe('panic');
    const alone = createHl7MappingConfig({ useDefaultCodes: false, patientClasses: { IP: 'inpatient' } });
    expect(alone.patientClasses).toEqual({ IP: 'inpatient' });
    expect(alone.diagnosisCategories).toEqual({});
  });

  it('matches diagnosis codes with or without the dot, exact before the longest prefix', () => {
    const config = createHl7MappingConfig({ diagnosisCategories: { 'F43*': 'stress_disorder' } });
    const category = (code: string) => {
      const result = ingestHl7(adt({ diagnoses: [code] }), { tenantId: 't', config });
      const fact = result.events.find((e) => e.type === 'fact.recorded' && e.fact.kind === 'diagnosis');
      return fact?.type === 'fact.recorded' && fact.fact.kind === 'diagnosis' ? fact.fact.category : undefined;
    };
    expect(category('F410')).toBe('panic_disorder');
    expect(category('f41.9')).toBe('anxiety_disorder');
    expect(category('F43.10')).toBe('ptsd');
    expect(category('F43.2')).toBe('stress_disorder');
    expect(category('F329')).toBe('depression');
    expect(Object.keys(DEFAULT_DIAGNOSIS_CATEGORIES).length).toBeGreaterThan(20);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ facilityTimeZones: { CLINIC: 'Nowhere' } }, 'facilityTimeZones.CLINIC'],
    [{ displayToken: { digits: 12 } }, 'displayToken.digits'],
    [{ payers: { AETNA: '' } }, 'payers.AETNA'],
    [{ roles: { X: 5 } }, 'roles.X'],
    [{ supportedVersions: [] }, 'supportedVersions'],
  ])('refuses %j, naming %s', (input, path) => {
    const result = parseHl7MappingConfig(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_configuration');
    expect(result.error.issues.map((i) => i.path)).toContain(path);
  });

  it('loads a JSON mapping file, and explains unreadable or invalid ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carerelay-hl7-'));
    const good = join(dir, 'mapping.json');
    writeFileSync(good, JSON.stringify({ timeZone: 'America/Chicago', payers: { '60054': 'aetna' }, services: { GRP: 'group_therapy' } }));
    const loaded = await loadHl7MappingFile(good);
    expect(loaded.ok && loaded.value.payers).toEqual({ '60054': 'aetna' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "timeZone": ');
    const notJson = await loadHl7MappingFile(bad);
    expect(!notJson.ok && notJson.error.message).toMatch(/not valid JSON/);
    const missing = await loadHl7MappingFile(join(dir, 'missing.json'));
    expect(!missing.ok && missing.error.code).toBe('invalid_configuration');
  });
});
