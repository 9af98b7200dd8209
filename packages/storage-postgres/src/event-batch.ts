import type { CareEvent } from '@carerelay/core';

/** The events of a batch to insert: the first occurrence of each id, in order. */
export function uniqueEvents(events: readonly CareEvent[]): CareEvent[] {
  const seen = new Set<string>();
  const unique: CareEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  return unique;
}

/**
 * Events as the three parallel array parameters the commit statements take: ids, types and JSON texts. The JSON
 * travels as `json[]` and is stored without being parsed, so escaped NUL characters survive.
 */
export function eventColumns(events: readonly CareEvent[]): [string[], string[], string[]] {
  return [events.map((event) => event.id), events.map((event) => event.type), events.map((event) => JSON.stringify(event))];
}

/**
 * The ids a commit reports as duplicates, in input order: ids repeated within the batch, and ids the database
 * already held (those not in `inserted`).
 */
export function duplicatesOf(events: readonly CareEvent[], inserted: readonly string[]): string[] {
  const stored = new Set(inserted);
  const duplicates: string[] = [];
  for (const event of events) {
    if (stored.has(event.id)) stored.delete(event.id);
    else duplicates.push(event.id);
  }
  return duplicates;
}
