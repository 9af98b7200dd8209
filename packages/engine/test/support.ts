import { type CareEventInput, type Owner, OwnerSchema, WorkingCalendar } from '@carerelay/core';
import { SCENARIO_B, STAFF_EVENTS } from '@carerelay/testkit/scenarios';
import type { Channel, Coordinator, ManualClock, OutboundMessage, SendResult, TrustLevel } from '../src/index.js';

/** A message a recording channel received, with the clock's instant. */
export interface Received {
  at: string;
  message: OutboundMessage;
  idempotencyKey: string;
}

/** A real channel that keeps what it is sent in memory; `respond` decides each outcome (default: delivered). */
export function recordingChannel(
  name: string,
  clock: ManualClock,
  options: { trust?: TrustLevel; respond?: (message: OutboundMessage, attempt: number) => SendResult } = {},
): Channel & { received: Received[] } {
  const received: Received[] = [];
  return {
    name,
    trust: options.trust ?? 'phi-minimal',
    received,
    async send(message, { idempotencyKey }) {
      const attempt = received.filter((r) => r.idempotencyKey === idempotencyKey).length;
      received.push({ at: clock.now(), message, idempotencyKey });
      return options.respond?.(message, attempt) ?? { status: 'delivered' };
    },
  };
}

/** Runs the coordinator as its scheduler would, jumping the clock from one wake-up to the next, until `end`. */
export async function runUntil(coordinator: Coordinator, clock: ManualClock, end: string): Promise<void> {
  for (let guard = 0; guard < 10_000; guard++) {
    const next = await coordinator.nextWakeAt();
    if (next === null || next > end) break;
    if (next > clock.now()) clock.set(next);
    const result = await coordinator.tick();
    if (next <= result.now && result.casesPlanned === 0 && result.messagesSent === 0 && result.deferred === 0 && result.failed === 0 && !result.more) {
      // Nothing was due after all (a stale hint): step on.
      clock.advance(1);
    }
  }
  clock.set(end);
  await coordinator.tick();
}

/** The clinic's owners as validated objects, by id. */
export const OWNERS: Record<string, Owner> = Object.fromEntries(
  STAFF_EVENTS.map((e) => {
    const owner = OwnerSchema.parse((e as { owner: unknown }).owner);
    return [owner.id, owner];
  }),
);

/** Whether `instant` is inside the owner's working hours, in their own time zone. */
export function isWorkingTime(ownerId: string, instant: string): boolean {
  const owner = OWNERS[ownerId]!;
  return new WorkingCalendar(owner.workingHours, owner.timeZone).isWorking(Date.parse(instant));
}

/** Scenario B's events. */
export const B_EVENTS: CareEventInput[] = SCENARIO_B.events;

/** Requirement ids a message names. */
export function requirementIds(received: readonly Received[]): string[] {
  return received.flatMap((r) => r.message.digest.items.map((i) => i.requirementId));
}

/** Monday 16 Nov 2026, after scenario B's milestone was scheduled. */
export const START = '2026-11-16T15:00:00.000Z';
/** Sunday 29 Nov 2026, after the deadline week. */
export const END = '2026-11-29T00:00:00.000Z';
