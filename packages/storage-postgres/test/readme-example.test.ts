import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';
import { dropSchema, uniqueSchema } from './support/test-schema.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '..');
const example = path.join(packageDir, 'examples/quickstart.ts');
const url = inject('databaseUrl');
const schema = uniqueSchema('readme');
afterAll(() => dropSchema(url, schema));

it('the README shows examples/quickstart.ts verbatim', () => {
  const readme = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
  expect(readme).toContain(fs.readFileSync(example, 'utf8').trim());
});

it('examples/quickstart.ts runs against PostgreSQL and puts the reminder in the therapist’s inbox', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@carerelay/source', example], {
    cwd: packageDir,
    env: { ...process.env, DATABASE_URL: url, CARERELAY_SCHEMA: schema },
    timeout: 60_000,
  });
  expect(stdout).toContain('applied 5 events');
  expect(stdout).toMatch(/^inbox: reminder: .*J\.D\. ·4821/m);
}, 60_000);
