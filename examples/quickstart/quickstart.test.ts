import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

describe('examples/quickstart', () => {
  it('runs scenario A as a script and prints the therapist’s three items and when each person is told', () => {
    const out = execFileSync(tsx, ['--conditions=@carerelay/source', 'scenario-a.ts'], { cwd: here, encoding: 'utf8', env: { ...process.env, TZ: 'Asia/Kolkata' } });
    expect(out).toContain('medication adherence since sertraline 50 mg→100 mg');
    expect(out).toContain('panic-attack frequency in the past week');
    expect(out).toContain('participation in group therapy');
    expect(out).toContain('Guidance for pres-1: nothing');
    expect(out).toMatch(/Thu 26 Nov 10:00 CST/);
    // The therapist's ladder, on weekdays only: the −5 d notice falls on Saturday, is deferred to Monday 09:00,
    // and merges into the −3 d reminder due at 10:00 the same working morning; then urgent on Wednesday.
    const ladder = out.split('\n').filter((l) => l.includes('ther-1 '));
    expect(ladder.map((l) => l.trim().split(/\s+/).slice(0, 7).join(' '))).toEqual([
      'Mon 23 Nov 10:00 CST ther-1 reminder',
      'Wed 25 Nov 10:00 CST ther-1 urgent',
    ]);
    expect(ladder.every((l) => !/^\s*(Sat|Sun)/.test(l))).toBe(true);
  }, 30_000);
});
