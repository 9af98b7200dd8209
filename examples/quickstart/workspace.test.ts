import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../vitest.config.ts';
import projects from '../../vitest.workspace.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the workspace drives the test run', () => {
  it('vitest.config.ts takes its projects from vitest.workspace.ts', () => {
    expect(config.test?.projects).toBe(projects);
  });

  it('every package has a test project named after the package', () => {
    for (const dir of readdirSync(`${root}packages`)) {
      expect(existsSync(`${root}packages/${dir}/vitest.config.ts`), dir).toBe(true);
    }
  });

  it('shrinking the list changes what runs', () => {
    const list = (extra: string[]) =>
      execFileSync(`${root}node_modules/.bin/vitest`, ['list', '--filesOnly', '--json', ...extra], { cwd: root, encoding: 'utf8', env: { ...process.env, CARERELAY_PROJECTS: 'packages/core' } });
    const shrunk = JSON.parse(list([])) as Array<{ projectName: string }>;
    expect(new Set(shrunk.map((t) => t.projectName))).toEqual(new Set(['@carerelay/core']));
  }, 60_000);
});
