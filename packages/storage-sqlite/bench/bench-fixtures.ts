import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Notification, emptyCase } from '@carerelay/core';
import type { OutboxInput } from '@carerelay/engine';
import { type SqliteStorage, createSqliteStorage } from '../src/index.js';
import { CLINIC_TENANT, T_RUN } from '../test/clinic-fixture.js';

/** The tenant every benchmark writes (the synthetic clinic's). */
export const TENANT = CLINIC_TENANT;
/** The benchmarks' "now": when the synthetic clinic's patients are due. */
export const NOW = T_RUN;

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A migrated adapter on a fresh file in a temporary directory, and a function that removes it. */
export async function freshFileStorage(name: string): Promise<{ storage: SqliteStorage; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `carerelay-bench-${name}-`));
  const storage = createSqliteStorage({ filename: path.join(dir, 'bench.db') });
  await storage.migrate();
  return {
    storage,
    dispose: async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A realistic notification (one item) for the outbox. */
export function benchNotification(id: string, patientId: string, deliverAt: string): Notification {
  return {
    id,
    tenantId: TENANT,
    patientId,
    displayToken: 'J.D. ·4821',
    recipientId: 'ther-1',
    level: 'reminder',
    critical: false,
    deliverAt,
    taskId: `task-${patientId}`,
    stepId: 'reminder',
    repeat: 0,
    milestoneId: `auth-${patientId}`,
    milestoneKind: 'authorization_review',
    deadline: '2026-11-26T16:00:00.000Z',
    channels: ['in_app'],
    items: [
      {
        requirementId: `auth-${patientId}:therapist-progress`,
        ownerId: 'ther-1',
        summary: 'Progress toward treatment goals',
        text: 'Document progress toward treatment goals since the last review',
        reason: 'Payer continued-stay criterion',
        deadline: '2026-11-26T16:00:00.000Z',
        milestoneId: `auth-${patientId}`,
        milestoneKind: 'authorization_review',
      },
    ],
    phiClass: 'phi',
  };
}

/** Enqueues `count` due outbox entries through `commitCase`, `perCase` entries per case. */
export async function enqueueDue(storage: SqliteStorage, count: number, perCase = 50): Promise<void> {
  for (let c = 0; c * perCase < count; c++) {
    const caseId = `pat-${c}`;
    const entries: OutboxInput[] = [];
    for (let i = 0; i < perCase && c * perCase + i < count; i++) {
      const id = `n-${c}-${i}`;
      const deliverAt = new Date(Date.parse(NOW) - (i + 1) * 1000).toISOString();
      entries.push({ id, caseId, recipientId: 'ther-1', deliverAt, notification: benchNotification(id, caseId, deliverAt) });
    }
    const result = await storage.commitCase(TENANT, caseId, 0, { events: [], state: emptyCase(TENANT, caseId), nextWakeAt: null, outbox: entries });
    if (!result.ok) throw new Error('bench setup conflict');
  }
}
