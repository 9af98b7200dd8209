import type { CareEvent } from '@carerelay/core';

/** Remembers event ids so the same resource version ingested twice yields its events once. */
export interface SeenFilter {
  /** Whether an event id was seen. */
  has(id: string): boolean;
  /** The events not seen before (also within this batch), in order; marks them seen. */
  fresh(events: readonly CareEvent[]): CareEvent[];
  /** How many ids are remembered. */
  readonly size: number;
}

/**
 * An in-memory dedupe filter over deterministic event ids, remembering at most `max` ids (oldest forgotten first).
 * Durable deduplication belongs to storage (event ids are idempotency keys); this is for a process that ingests
 * the same feed repeatedly, such as an overlapping REST pull.
 */
export function createSeenFilter(options: { max?: number } = {}): SeenFilter {
  const max = options.max ?? 1_000_000;
  const seen = new Set<string>();
  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > max) seen.delete(seen.values().next().value as string);
  };
  return {
    has: (id) => seen.has(id),
    fresh(events) {
      const out: CareEvent[] = [];
      for (const event of events) {
        if (seen.has(event.id)) continue;
        remember(event.id);
        out.push(event);
      }
      return out;
    },
    get size() {
      return seen.size;
    },
  };
}
