import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli.js';
import { runDemo } from '../src/demo.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

async function demoText(seed: number): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  await runDemo({ days: 12, patients: 80, seed, out: null }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { stdout, stderr };
}

describe('determinism', () => {
  it('the same seed and flags give byte-identical standard output; progress goes to standard error', async () => {
    const first = await demoText(11);
    const second = await demoText(11);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).toContain('Broadcast');
    expect(first.stdout).toContain('Scenario B');
    expect(first.stdout).not.toMatch(/\d+\.\d s\b/); // no timings on standard output
    expect(first.stderr).toMatch(/carerelay: .* messages in \d+\.\d s/);
  }, 60_000);

  it('another seed gives another clinic', async () => {
    const [a, b] = [await demoText(11), await demoText(12)];
    expect(a.stdout.split('\n').slice(0, 2)).not.toEqual(b.stdout.split('\n').slice(0, 2));
  }, 60_000);

  it('the CLI run twice in child processes prints the same bytes and writes the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carerelay-demo-'));
    try {
      const args = ['--conditions=@carerelay/source', join(root, 'packages/simulator/src/cli.ts'), '--days', '8', '--patients', '50', '--seed', '5', '--out', join(dir, 'report.html')];
      const options = { cwd: root, env: { ...process.env, TZ: 'Pacific/Auckland' }, maxBuffer: 16 * 1024 * 1024 };
      const first = await run(tsx, args, options);
      const second = await run(tsx, args, { ...options, env: { ...process.env, TZ: 'America/Sao_Paulo' } });
      expect(second.stdout).toBe(first.stdout);
      expect(first.stdout).toContain(`Report written to ${join(dir, 'report.html')}`);
      expect(first.stderr).toContain('(worker thread)');
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<table id="comparison">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('CLI flags', () => {
  it('reads --days, --patients, --seed, --out and --db', () => {
    expect(parseArgs(['--days', '30', '--patients', '200', '--seed', '9', '--out', 'r.html', '--db', 'x.db'])).toEqual({
      ok: true,
      options: { days: 30, patients: 200, seed: 9, out: 'r.html', databaseFile: 'x.db' },
    });
    expect(parseArgs([])).toEqual({ ok: true, options: { days: 90, patients: 1500, seed: 1, out: './carerelay-report.html' } });
    expect(parseArgs(['--out', '-'])).toMatchObject({ ok: true, options: { out: null } });
  });

  it('rejects bad values with a message naming the flag', () => {
    expect(parseArgs(['--days', '0'])).toEqual({ ok: false, error: '--days must be from 1 to 366' });
    expect(parseArgs(['--patients', 'many'])).toEqual({ ok: false, error: '--patients needs a whole number' });
    expect(parseArgs(['--speed', '3'])).toEqual({ ok: false, error: 'unknown flag --speed' });
  });
});
