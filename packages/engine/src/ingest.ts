import {
  type CareEvent,
  type CaseEvent,
  CareRelayError,
  type DirectoryEvent,
  EventSchema,
  isCaseEvent,
  parseWith,
  reduceDirectory,
  stableHash,
  toCareRelayError,
} from '@carerelay/core';
import { commitCaseEvents } from './case-commit.js';
import { type EngineContext, currentDirectory, store } from './engine-context.js';

/** What happened to one input of an `ingest()` call. */
export interface IngestItemResult {
  /** Position in the batch. */
  index: number;
  /** The event id, when the input had a usable one. */
  id?: string;
  status: 'applied' | 'duplicate' | 'quarantined' | 'failed';
  /** For `quarantined` (names the bad fields in `issues`) and `failed` (an `adapter_failure` or `conflict`). */
  error?: CareRelayError;
}

/** The summary of one `ingest()` call. */
export interface IngestResult {
  applied: number;
  duplicates: number;
  quarantined: number;
  failed: number;
  /** One result per input, in input order. */
  results: IngestItemResult[];
}

/** Longest raw input kept in quarantine (characters); longer input is cut and marked. */
const MAX_RAW = 64 * 1024;

/** How many directory commits are retried on conflict. */
const MAX_DIRECTORY_RETRIES = 8;

/**
 * Validates each input with the core's `EventSchema`, quarantines the bad ones (with an error naming each field),
 * applies directory events, then each touched case's events in one atomic commit per case (re-planned at `now`).
 * One bad event or one failing case never stops the rest of the batch.
 */
export async function ingestEvents(ctx: EngineContext, inputs: readonly unknown[], now: string): Promise<IngestResult> {
  const results: IngestItemResult[] = inputs.map((_, index) => ({ index, status: 'failed' }));
  const directoryEvents: Array<{ index: number; event: DirectoryEvent }> = [];
  const byCase = new Map<string, Array<{ index: number; event: CaseEvent }>>();

  for (const [index, input] of inputs.entries()) {
    const id = usableId(input);
    if (id !== undefined) results[index]!.id = id;
    const parsed = parseWith(EventSchema, input, 'event');
    let error: CareRelayError | undefined = parsed.ok ? undefined : parsed.error;
    if (parsed.ok && parsed.value.tenantId !== ctx.tenantId) {
      const issues = [{ path: 'tenantId', message: 'event belongs to another tenant than this coordinator' }];
      error = new CareRelayError('unauthorized', 'invalid event: tenantId: event belongs to another tenant than this coordinator', { issues });
    }
    if (error || !parsed.ok) {
      results[index] = await quarantineInput(ctx, index, input, id, error!, now);
      continue;
    }
    const event: CareEvent = parsed.value;
    if (isCaseEvent(event)) {
      let list = byCase.get(event.patientId);
      if (!list) byCase.set(event.patientId, (list = []));
      list.push({ index, event });
    } else directoryEvents.push({ index, event });
  }

  if (directoryEvents.length > 0) {
    try {
      const outcome = await commitDirectoryEvents(ctx, directoryEvents.map((d) => d.event));
      for (const { index, event } of directoryEvents) results[index] = { index, id: event.id, status: outcome.duplicates.has(event.id) ? 'duplicate' : 'applied' };
    } catch (thrown) {
      const error = toCareRelayError(thrown);
      ctx.events.emit('error', error);
      ctx.logger.error('directory commit failed', { tenantId: ctx.tenantId, code: error.code, error: error.message });
      for (const { index, event } of directoryEvents) results[index] = { index, id: event.id, status: 'failed', error };
    }
  }

  const directory = byCase.size > 0 ? (await safeDirectory(ctx))?.directory : undefined;
  for (const [caseId, items] of byCase) {
    try {
      const outcome = await commitCaseEvents(ctx, caseId, items.map((i) => i.event), now, directory ? { directory } : {});
      const duplicates = new Set(outcome.duplicates);
      for (const { index, event } of items) results[index] = { index, id: event.id, status: duplicates.has(event.id) ? 'duplicate' : 'applied' };
    } catch (thrown) {
      const error = toCareRelayError(thrown);
      ctx.events.emit('error', error);
      ctx.logger.error('case commit failed', { tenantId: ctx.tenantId, caseId, code: error.code, error: error.message });
      for (const { index, event } of items) results[index] = { index, id: event.id, status: 'failed', error };
    }
  }

  const count = (status: IngestItemResult['status']) => results.filter((r) => r.status === status).length;
  return { applied: count('applied'), duplicates: count('duplicate'), quarantined: count('quarantined'), failed: count('failed'), results };
}

async function safeDirectory(ctx: EngineContext) {
  try {
    return await currentDirectory(ctx);
  } catch {
    return undefined; // each case commit loads it again and reports its own failure
  }
}

/** Applies directory events (owners) with optimistic concurrency, skipping ids already stored. */
async function commitDirectoryEvents(ctx: EngineContext, events: readonly DirectoryEvent[]): Promise<{ duplicates: Set<string> }> {
  for (let attempt = 0; attempt <= MAX_DIRECTORY_RETRIES; attempt++) {
    const { version, directory } = await currentDirectory(ctx);
    const duplicates = new Set<string>();
    const fresh: DirectoryEvent[] = [];
    for (const event of events) {
      if (duplicates.has(event.id) || fresh.some((e) => e.id === event.id) || (await store(ctx, 'hasEvent', (s) => s.hasEvent(ctx.tenantId, event.id)))) duplicates.add(event.id);
      else fresh.push(event);
    }
    if (fresh.length === 0) return { duplicates };
    const next = fresh.reduce(reduceDirectory, directory);
    const result = await store(ctx, 'commitDirectory', (s) => s.commitDirectory(ctx.tenantId, version, next, fresh));
    if (result.ok) {
      ctx.directory = { version: result.version, directory: next };
      for (const id of result.duplicates) duplicates.add(id);
      return { duplicates };
    }
    ctx.directory = undefined;
  }
  throw new CareRelayError('conflict', `directory: still conflicting after ${MAX_DIRECTORY_RETRIES} retries`);
}

/** Stores bad input in quarantine and reports it. A failure to store it is reported as `failed`. */
async function quarantineInput(ctx: EngineContext, index: number, input: unknown, id: string | undefined, error: CareRelayError, now: string): Promise<IngestItemResult> {
  const raw = rawText(input);
  const recordId = id ?? `q_${stableHash(raw)}`;
  try {
    await store(ctx, 'quarantine', (s) =>
      s.quarantine(ctx.tenantId, { id: recordId, receivedAt: now, source: 'ingest', code: error.code, message: error.message, issues: error.issues, raw }),
    );
  } catch (thrown) {
    const failure = toCareRelayError(thrown);
    ctx.events.emit('error', failure);
    return { index, ...(id === undefined ? {} : { id }), status: 'failed', error: failure };
  }
  ctx.logger.warn('event quarantined', { tenantId: ctx.tenantId, quarantineId: recordId, code: error.code, error: error.message });
  ctx.events.emit('quarantined', { id: recordId, source: 'ingest', error });
  return { index, ...(id === undefined ? {} : { id }), status: 'quarantined', error };
}

/** The input's `id` when it is a string fit to be a key (1–200 characters). */
function usableId(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('id' in input)) return undefined;
  const id = input.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/** The input as JSON text, cut to {@link MAX_RAW} characters; never throws. */
function rawText(input: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = '[unserialisable input]';
  }
  return text.length > MAX_RAW ? `${text.slice(0, MAX_RAW)}…[cut at ${MAX_RAW} of ${text.length} characters]` : text;
}
