import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMemoryStorage } from '@carerelay/engine';
import { describe, expect, it } from 'vitest';
import { runStorageConformance } from '../src/index.js';

// The reference adapter passes with a non-default maxAttempts (the suite follows the adapter's setting).
runStorageConformance({ name: 'memory, maxAttempts 2', create: () => createMemoryStorage({ maxAttempts: 2 }), maxAttempts: 2 });

interface JsonReport {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
}

describe('the conformance suite catches broken adapters', () => {
  it('fails exactly the tests that concern each defect', async () => {
    const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const vitest = fileURLToPath(new URL('../../../node_modules/.bin/vitest', import.meta.url));
    const stdout = await new Promise<string>((resolve) =>
      execFile(vitest, ['run', '--config', 'vitest.config.ts', '--reporter=json'], { cwd: fixtures, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (_error, out) => resolve(out)),
    );
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as JsonReport;
    const failed = report.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName));
    const failedFor = (adapter: string) => failed.filter((name) => name.includes(`storage conformance: ${adapter}`));

    expect(failedFor('leaks across tenants').some((n) => n.includes('tenant A cannot read tenant B’s records'))).toBe(true);
    expect(failedFor('leaks across tenants').every((n) => n.includes('tenant'))).toBe(true);
    expect(failedFor('never dead-letters').some((n) => n.includes('dead-lettered once its attempts reach maxAttempts'))).toBe(true);
    expect(failedFor('claims without a lease').some((n) => n.includes('not claimed again until its lease expires'))).toBe(true);
    expect(failedFor('claims without a lease').some((n) => n.includes('concurrent claims never hand one case to two workers'))).toBe(true);
    expect(failedFor('claims in (deliverAt, id) order')).toEqual([expect.stringContaining('claims follow (deliverAt, recipientId, id)')]);
    expect(failedFor('assigns part of a message').length).toBeGreaterThan(0);
    expect(failedFor('assigns part of a message').some((n) => n.includes('assignMessage records the message on every entry, or on none'))).toBe(true);
    expect(failedFor('assigns part of a message').every((n) => /assign/i.test(n))).toBe(true);
  }, 60_000);
});
