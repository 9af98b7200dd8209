import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = fileURLToPath(new URL('../examples/fhir-quickstart.ts', import.meta.url));

describe('README example', () => {
  it('runs under plain Node (with tsx) and prints a FHIR Task', async () => {
    const { stdout } = await run(process.execPath, ['--conditions=@carerelay/source', '--import', 'tsx', example], { timeout: 60_000 });
    expect(stdout).toContain('5757 resources → 2022 events');
    expect(stdout).toContain('0 invalid');
    const json = stdout.slice(stdout.indexOf('the first as FHIR:') + 'the first as FHIR:'.length);
    expect(JSON.parse(json)).toMatchObject({ resourceType: 'Task', intent: 'order', status: 'ready', code: { coding: [{ code: 'discharge_follow_up' }] } });
  }, 60_000);
});
