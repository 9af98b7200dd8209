import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const engine = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'carerelay-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startWorker(out: string): ChildProcess {
  const child = spawn(tsx, ['--conditions=@carerelay/source', 'test/fixtures/recording-worker.ts', out], { cwd: engine, stdio: ['ignore', 'pipe', 'pipe'] });
  output.set(child, '');
  child.stdout?.on('data', (chunk: Buffer) => output.set(child, output.get(child) + chunk.toString()));
  return child;
}

const output = new Map<ChildProcess, string>();

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

describe('a worker as a plain Node + tsx script', () => {
  it('starts the scheduler on the system clock, delivers, and closes cleanly on SIGTERM', async () => {
    const out = join(dir, 'deliveries.txt');
    const worker = startWorker(out);
    await vi.waitFor(() => expect(lines(out)).toHaveLength(1), { timeout: 20_000, interval: 100 });
    expect(await stop(worker)).toBe(0);
    expect(lines(out)[0]).toMatch(/^ntf_[0-9a-f]{16}$/);

    // Another process planning the same facts derives the same message id, so the receiver's dedupe holds.
    const again = startWorker(out);
    await vi.waitFor(() => expect(output.get(again)).toContain(`delivered ${lines(out)[0]}`), { timeout: 20_000, interval: 100 });
    expect(await stop(again)).toBe(0);
    expect(lines(out)).toHaveLength(1);
  }, 40_000);

  it('runs the README example', async () => {
    const output = await new Promise<string>((resolve, reject) =>
      execFile(tsx, ['--conditions=@carerelay/source', 'test/fixtures/readme-example.ts'], { cwd: engine, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    expect(output).toContain('ther-2 must address: Coping-strategy progress');
    expect(output).toContain('2026-11-23T14:00:00.000Z ther-2 ←');
    expect(output).toContain("ther-2's latest: Urgent: 2 items due Fri 27 Nov — M.R. ·1177");
    expect(output).toContain('healthy: true');
    const readme = readFileSync(join(engine, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(join(engine, 'test/fixtures/readme-example.ts'), 'utf8').trim());
  }, 40_000);
});
