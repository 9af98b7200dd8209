import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exited, spawnTypeScript } from './worker-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const example = path.join(here, 'fixtures', 'readme-example.ts');

describe('README', () => {
  it('shows the example that this test runs, verbatim', () => {
    const readme = readFileSync(path.join(here, '..', 'README.md'), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(example, 'utf8'));
  });

  it('runs: a restarted process on the same file keeps the inbox and sends nothing twice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carerelay-readme-'));
    try {
      const result = await exited(spawnTypeScript(example, [path.join(dir, 'carerelay.db')]));
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.split('\n')).toEqual([
        'first process: notifications delivered: 1',
        'after restart: delivered again: 0',
        "ther-1's inbox: Reminder: 3 items due Thu 26 Nov — J.D. ·4821",
        'healthy: true',
        '',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
