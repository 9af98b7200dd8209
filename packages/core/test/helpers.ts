import {
  type CareEventInput,
  type CoordinationState,
  type CoreConfig,
  type Notification,
  CalendarCache,
  EventSchema,
  createCoreConfig,
  emptyState,
  plan,
  reduce,
} from '@carerelay/core';

/** Parses and reduces events into a fresh state. */
export function stateFrom(events: readonly CareEventInput[], config: CoreConfig = createCoreConfig(), tenantId = 'clinic-north'): CoordinationState {
  let state = emptyState(tenantId);
  for (const event of events) state = reduce(state, EventSchema.parse(event), config);
  return state;
}

/**
 * Walks a state through time the way an engine does: plans at `from`, then at each `nextWakeAt`, applying
 * `events` when their time comes, until `to`. Returns every notification in delivery order and the final state.
 */
export function simulate(
  initial: CoordinationState,
  from: string,
  to: string,
  config: CoreConfig = createCoreConfig(),
  events: readonly CareEventInput[] = [],
): { notifications: Notification[]; state: CoordinationState } {
  const calendars = new CalendarCache();
  const pending = events.map((e) => EventSchema.parse(e)).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  let state = initial;
  let now = from;
  const notifications: Notification[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    while (pending.length && pending[0]!.at <= now) state = reduce(state, pending.shift()!, config);
    const result = plan(state, now, config, { calendars });
    state = result.state;
    notifications.push(...result.notifications);
    const candidates = [result.nextWakeAt, pending[0]?.at].filter((t): t is string => t != null && t > now);
    const next = candidates.sort()[0];
    if (next === undefined || next > to) break;
    now = next;
  }
  return { notifications, state };
}
