import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CareRelayError } from '@carerelay/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PulledPage, JsonFileCheckpointStore, createFhirPuller, createSeenFilter } from '../src/index.js';
import { syntheaResources } from './data-files.js';
import { FhirTestServer } from './fhir-test-server.js';

const TOKEN = 'test-token-7f3a';
const PULLED = ['Practitioner', 'PractitionerRole', 'Patient', 'Condition', 'Encounter', 'MedicationRequest'];
const sources = Object.fromEntries(PULLED.map((type) => [type, syntheaResources(type)]));

/** A sleep that records what it was asked to wait, and returns at once (behaviour, not wall-clock time, is tested). */
function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('REST pull against a FHIR server on 127.0.0.1', () => {
  let server: FhirTestServer;
  let dir: string;
  beforeAll(async () => {
    server = await new FhirTestServer(TOKEN).start();
    for (const type of PULLED) for (const resource of sources[type]!) server.upsert(resource);
    dir = mkdtempSync(join(tmpdir(), 'carerelay-fhir-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    server.failures.length = 0;
  });

  const pullerWith = (store: JsonFileCheckpointStore, sleep: (ms: number) => Promise<void>) =>
    createFhirPuller({
      baseUrl: server.url,
      bearerToken: TOKEN,
      tenantId: 'clinic-north',
      checkpoints: store,
      pageSize: 200,
      sleep,
      random: () => 0.5,
      config: { timeZone: 'America/Chicago' },
    });

  it('delivers every resource once across paged searchsets, through a 429 and a 503, and keeps its checkpoint across a restart', async () => {
    const file = join(dir, 'checkpoints.json');
    const first = recordingSleep();
    // Requests 3 and 7 fail: a 429 asking for 2 s, then a 503 without Retry-After (exponential backoff).
    server.failures.push({ request: 3, status: 429, retryAfter: '2' }, { request: 7, status: 503 });
    const seenIds = new Map<string, string[]>();
    const pages: PulledPage[] = [];
    const puller = pullerWith(new JsonFileCheckpointStore(file), first.sleep);
    const report = await puller.pull((page) => {
      pages.push(page);
      for (const item of page.items) {
        if (item.outcome.resourceType !== page.resourceType || !item.outcome.resourceId) continue;
        seenIds.set(page.resourceType, [...(seenIds.get(page.resourceType) ?? []), item.outcome.resourceId]);
      }
    });

    for (const type of PULLED) {
      const ids = seenIds.get(type) ?? [];
      expect(ids.length, type).toBe(sources[type]!.length);
      expect(new Set(ids).size, `${type} duplicates`).toBe(ids.length);
      expect(report.byType[type]?.resources).toBe(sources[type]!.length);
    }
    expect(report.byType.Encounter?.pages).toBe(Math.ceil(1215 / 200));
    expect(report.summary.invalid).toBe(0);
    expect(report.retries).toBe(2);
    // Retry-After: 2 is honoured as given; the 503 waits the first backoff step (500 ms, half of it jittered: 375 at 0.5).
    expect(first.waits).toEqual([2000, 375]);
    expect(server.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // Pagination followed the server's next links.
    expect(server.requests.filter((r) => r.query.has('_search')).length).toBeGreaterThan(10);
    console.log(`REST pull: ${server.requests.length} requests, ${pages.length} pages, ${report.summary.resources} resources, ${report.summary.events} events, retries ${report.retries} (waits ${first.waits.join(', ')} ms)`);

    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(stored)).toHaveLength(PULLED.length);

    // Restart: a new puller with a new store over the same file; the EHR has since edited two resources.
    server.touch('Encounter', stays()[0]!);
    server.touch('Patient', sources.Patient![0]!.id as string);
    const before = server.requests.length;
    const second = createFhirPuller({ baseUrl: server.url, bearerToken: TOKEN, tenantId: 'clinic-north', checkpoints: new JsonFileCheckpointStore(file), pageSize: 200, sleep: recordingSleep().sleep });
    const resumed: string[] = [];
    const again = await second.pull((page) => void resumed.push(...page.items.map((i) => `${i.outcome.resourceType}/${i.outcome.resourceId}`)));
    expect(resumed.sort()).toEqual([`Encounter/${stays()[0]!}`, `Patient/${sources.Patient![0]!.id as string}`].sort());
    const searches = server.requests.slice(before).filter((r) => !r.query.has('_search'));
    for (const request of searches) {
      const type = request.path.split('/').pop()!;
      if (PULLED.includes(type)) expect(request.query.get('_lastUpdated'), type).toBe(`gt${stored[second.checkpointKey(type)]}`);
    }
    expect(again.byType.Encounter?.checkpoint).not.toBe(stored[second.checkpointKey('Encounter')]);
  });

  it('keeps the old checkpoint when a page handler fails, so the next pull re-reads that type (event ids dedupe it)', async () => {
    const file = join(dir, 'crash.json');
    const seen = createSeenFilter();
    let fresh = 0;
    const crashing = pullerWith(new JsonFileCheckpointStore(file), recordingSleep().sleep);
    await expect(
      crashing.pull((page) => {
        fresh += seen.fresh(page.events).length;
        if (page.resourceType === 'Encounter' && page.page === 2) throw new Error('consumer crashed');
      }),
    ).rejects.toThrow('consumer crashed');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(stored[crashing.checkpointKey('Condition')]).toBeDefined();
    expect(stored[crashing.checkpointKey('Encounter')]).toBeUndefined();

    const encounterEvents: number[] = [];
    const restarted = pullerWith(new JsonFileCheckpointStore(file), recordingSleep().sleep);
    const report = await restarted.pull((page) => {
      const added = seen.fresh(page.events).length;
      fresh += added;
      if (page.resourceType === 'Encounter') encounterEvents.push(added);
    });
    expect(report.byType.Encounter?.resources).toBe(1215);
    expect(report.byType.Condition?.resources).toBe(0);
    // Pages 1–2 were handled before the crash: re-reading them adds no new events.
    expect(encounterEvents[0]).toBe(0);
    expect(encounterEvents[1]).toBe(0);
    expect(fresh).toBeGreaterThan(0);
  });

  it('fails with a typed error after bounded attempts, and on a bad token without retrying', async () => {
    const { sleep, waits } = recordingSleep();
    const n = server.requests.length;
    server.failures.push(...[1, 2, 3].map((i) => ({ request: n + i, status: 503 })));
    const puller = createFhirPuller({ baseUrl: server.url, bearerToken: TOKEN, tenantId: 't', resourceTypes: ['Patient'], maxAttempts: 3, sleep, random: () => 0 });
    const error = await puller.pull().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CareRelayError);
    expect(error).toMatchObject({ code: 'adapter_failure', message: 'FHIR GET /fhir/Patient: failed after 3 attempts (HTTP 503)' });
    expect(waits).toEqual([250, 500]);

    const unauthorized = createFhirPuller({ baseUrl: server.url, bearerToken: 'wrong', tenantId: 't', resourceTypes: ['Patient'], sleep });
    await expect(unauthorized.pull()).rejects.toMatchObject({ code: 'unauthorized' });
    expect(waits).toHaveLength(2);
  });

  it('refuses to follow a next link to another origin (the bearer token must not leak)', async () => {
    const fetchStub: typeof fetch = async () =>
      new Response(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [], link: [{ relation: 'next', url: 'http://evil.example/fhir/Patient?page=2' }] }), { status: 200 });
    const puller = createFhirPuller({ baseUrl: server.url, bearerToken: TOKEN, tenantId: 't', resourceTypes: ['Patient'], fetch: fetchStub });
    await expect(puller.pull()).rejects.toMatchObject({ code: 'adapter_failure', message: expect.stringContaining('outside its base URL') });
  });
});

function stays(): string[] {
  return sources.Encounter!.filter((e) => (e.class as { code: string }).code === 'IMP').map((e) => e.id as string);
}
