import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./tz-walk.ts', import.meta.url));

interface WalkOutput {
  processOffsetMinutes: number;
  output: {
    scenarios: { notifications: { id: string; recipientId: string; deliverAt: string }[]; digests: unknown[]; views: unknown[] };
    generated: { emitted: unknown[] }[];
  };
}

/** Runs the planning walk in a child process with the given `TZ`. */
function walkUnder(timeZone: string): Promise<{ parsed: WalkOutput; raw: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@carerelay/source', SCRIPT], { cwd: ROOT, env: { ...process.env, TZ: timeZone } });
    // Decode once at the end: a chunk boundary may split a multi-byte character (display tokens hold "·").
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`TZ=${timeZone} walk exited with ${code}: ${Buffer.concat(stderr).toString('utf8').slice(0, 2000)}`));
      const raw = Buffer.concat(stdout).toString('utf8').trim();
      resolve({ parsed: JSON.parse(raw) as WalkOutput, raw });
    });
  });
}

it('The core gives identical results when the process runs with TZ=UTC and with TZ=Pacific/Kiritimati', async () => {
  const [utc, kiritimati] = await Promise.all([walkUnder('UTC'), walkUnder('Pacific/Kiritimati')]);
  // The children really ran in different zones (Kiritimati is UTC+14: offset −840 minutes).
  expect(utc.parsed.processOffsetMinutes).toBe(0);
  expect(kiritimati.parsed.processOffsetMinutes).toBe(-840);
  // And the walk did real work: both scenarios notified people, and generated worlds too.
  const scenarios = utc.parsed.output.scenarios;
  expect(new Set(scenarios.notifications.map((n) => n.recipientId))).toEqual(new Set(['ther-1', 'ther-2', 'pres-1', 'ur-1', 'sup-1']));
  expect(utc.parsed.output.generated.reduce((k, w) => k + w.emitted.length, 0)).toBeGreaterThan(50);
  // Same notifications first (a readable diff when they differ), then everything byte for byte.
  expect(kiritimati.parsed.output.scenarios.notifications).toEqual(scenarios.notifications);
  expect(kiritimati.parsed.output).toEqual(utc.parsed.output);
  expect(kiritimati.raw.replace(/"processOffsetMinutes":-?\d+/, '')).toBe(utc.raw.replace(/"processOffsetMinutes":-?\d+/, ''));
}, 60_000);
