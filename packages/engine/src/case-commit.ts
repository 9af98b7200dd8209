import { type CaseEvent, CareRelayError, type CaseState, type Directory, type Notification, planCase, reduceCase } from '@carerelay/core';
import { outboxInstant } from './delivery.js';
import { type EngineContext, currentDirectory, hintOutbox, store } from './engine-context.js';
import type { OutboxInput } from './storage/contract.js';

/** How many times a commit is retried after an optimistic-concurrency conflict. */
const MAX_CONFLICT_RETRIES = 8;

/** The outcome of applying events to (or re-planning) one case. */
export interface CaseCommitOutcome {
  /** Ids of events appended. */
  applied: string[];
  /** Ids of events skipped because the tenant already had them. */
  duplicates: string[];
  /** Notifications queued in the outbox by this commit. */
  queued: Notification[];
  nextWakeAt: string | null;
}

/**
 * Applies new events to one case (reduce), re-plans it at `now`, and commits state, events, outbox entries (one
 * per notification) and the next wake-up atomically. On a version conflict it reloads and starts again, so
 * concurrent ingests and ticks on other workers are never lost. With no events it only re-plans (a due wake-up);
 * `workerId` then releases the caller's lease on the case.
 */
export async function commitCaseEvents(
  ctx: EngineContext,
  caseId: string,
  events: readonly CaseEvent[],
  now: string,
  options: { directory?: Directory; workerId?: string } = {},
): Promise<CaseCommitOutcome> {
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const record = await store(ctx, 'loadCase', (s) => s.loadCase(ctx.tenantId, caseId));
    const fresh: CaseEvent[] = [];
    const duplicates: string[] = [];
    const seen = new Set<string>();
    for (const event of events) {
      if (seen.has(event.id) || (await store(ctx, 'hasEvent', (s) => s.hasEvent(ctx.tenantId, event.id)))) duplicates.push(event.id);
      else fresh.push(event);
      seen.add(event.id);
    }
    if (events.length > 0 && fresh.length === 0) return { applied: [], duplicates, queued: [], nextWakeAt: record?.nextWakeAt ?? null };
    if (!record && fresh.length === 0) return { applied: [], duplicates, queued: [], nextWakeAt: null };

    let state: CaseState | undefined = record?.state;
    for (const event of fresh) state = reduceCase(state, event, ctx.config);
    const directory = options.directory ?? (await currentDirectory(ctx)).directory;
    const planned = planCase(directory, state!, now, ctx.config, { calendars: ctx.calendars });
    const outbox: OutboxInput[] = planned.notifications.map((n) => ({ id: n.id, caseId, recipientId: n.recipientId, deliverAt: outboxInstant(ctx, directory, n), notification: n }));
    const result = await store(ctx, 'commitCase', (s) =>
      s.commitCase(ctx.tenantId, caseId, record?.version ?? 0, {
        events: fresh,
        state: planned.case,
        nextWakeAt: planned.nextWakeAt,
        outbox,
        ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
      }),
    );
    if (!result.ok) {
      ctx.logger.debug('case commit conflict; reloading', { tenantId: ctx.tenantId, caseId, attempt, currentVersion: result.currentVersion });
      continue;
    }
    ctx.knownCases.add(caseId);
    for (const u of planned.unrouted) ctx.logger.warn('requirement has no owner', { tenantId: ctx.tenantId, caseId, requirementId: u.requirementId, role: u.role });
    announce(ctx, record?.state, planned.case, outbox, now);
    const appended = fresh.map((e) => e.id).filter((id) => !result.duplicates.includes(id));
    return { applied: appended, duplicates: [...duplicates, ...result.duplicates], queued: planned.notifications, nextWakeAt: planned.nextWakeAt };
  }
  throw new CareRelayError('conflict', `case ${caseId}: still conflicting after ${MAX_CONFLICT_RETRIES} retries`);
}

/** Emits task and notification events for what a commit changed, and records outbox wake-up hints. */
function announce(ctx: EngineContext, before: CaseState | undefined, after: CaseState, queued: readonly OutboxInput[], now: string): void {
  for (const task of Object.values(after.tasks)) {
    const previous = before?.tasks[task.id];
    const wasOpen = previous !== undefined && previous.closedAt === undefined;
    const isOpen = task.closedAt === undefined;
    const payload = { taskId: task.id, patientId: after.patientId, ownerId: task.ownerId, milestoneId: task.milestoneId, at: now };
    if (isOpen && !wasOpen) ctx.events.emit('task.opened', payload);
    if (!isOpen && wasOpen) ctx.events.emit('task.completed', payload);
  }
  for (const { notification, deliverAt } of queued) {
    hintOutbox(ctx, deliverAt);
    ctx.events.emit('notification.queued', { notification });
    if (notification.escalatedOwnerId !== undefined) {
      ctx.events.emit('escalated', { notification, recipientId: notification.recipientId, ownerId: notification.escalatedOwnerId });
    }
  }
}
