import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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

  it('builds every package after the workspace packages it depends on', () => {
    const rootPackage = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };
    const order = [...rootPackage.scripts.build!.matchAll(/-w (@carerelay\/[\w-]+)/g)].map((m) => m[1]!);
    const packages = readdirSync(`${root}packages`).map((dir) => JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, 'utf8')) as { name: string; dependencies?: Record<string, string>; peerDependencies?: Record<string, string> });
    expect(new Set(order)).toEqual(new Set(packages.map((p) => p.name)));
    for (const pkg of packages) {
      for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((d) => d.startsWith('@carerelay/'))) {
        expect(order.indexOf(dep), `${pkg.name} needs ${dep} built first`).toBeLessThan(order.indexOf(pkg.name));
      }
    }
  });

  it('shrinking the list changes what runs', () => {
    const list = (extra: string[]) =>
      execFileSync(`${root}node_modules/.bin/vitest`, ['list', '--filesOnly', '--json', ...extra], { cwd: root, encoding: 'utf8', env: { ...process.env, CARERELAY_PROJECTS: 'packages/core' } });
    const shrunk = JSON.parse(list([])) as Array<{ projectName: string }>;
    expect(new Set(shrunk.map((t) => t.projectName))).toEqual(new Set(['@carerelay/core']));
  }, 60_000);
});
