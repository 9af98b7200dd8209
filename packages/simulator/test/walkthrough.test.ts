import { describe, expect, it } from 'vitest';
import { WALK_A, WALK_B, walkThrough } from '../src/walkthrough.js';

describe('scenario walk-throughs through the engine', () => {
  it('A: only the therapist is told, before the session; after the note nothing more', async () => {
    const lines = await walkThrough(WALK_A);
    const told = lines.filter((l) => l.includes(' ← '));
    expect(told.length).toBeGreaterThan(0);
    expect(told.every((l) => l.includes('ther-1 (therapist)'))).toBe(true);
    expect(lines.join('\n')).toContain('guidance for ther-1 (therapist) lists 3 items');
    expect(lines.join('\n')).toContain('guidance for pres-1 (prescriber) lists nothing');
    const noteAt = lines.findIndex((l) => l.includes('signs the session note'));
    expect(lines.slice(noteAt + 1).some((l) => l.includes(' ← '))).toBe(false);
    expect(lines.at(-1)).toBe('  Messages received: pres-1 0, sup-1 0, ther-1 1, ur-1 0');
  }, 30_000);

  it('B: the therapist’s completion stops their alerts; the prescriber’s ladder runs on to the supervisor', async () => {
    const lines = await walkThrough(WALK_B);
    const noteAt = lines.findIndex((l) => l.includes('ther-2 signs a note'));
    const after = lines.slice(noteAt + 1).filter((l) => l.includes(' ← '));
    expect(after.some((l) => l.includes('ther-2'))).toBe(false);
    expect(after.some((l) => l.includes('pres-1 (prescriber) ← urgent: medication response to escitalopram 10 mg; reported side effects'))).toBe(true);
    expect(after.some((l) => l.includes("sup-1 (supervisor) ← supervisor: pres-1's overdue items"))).toBe(true);
    // The therapist never hears of the prescriber's items, nor the prescriber of the therapist's.
    const told = lines.filter((l) => l.includes(' ← '));
    expect(told.filter((l) => l.includes('ther-2 (therapist)')).every((l) => !l.includes('side effects'))).toBe(true);
    expect(told.filter((l) => l.includes('pres-1 (prescriber)')).every((l) => !l.includes('school attendance'))).toBe(true);
  }, 30_000);
});
