/**
 * FHIR ingestion throughput benchmark (not a test), on one core:
 * - mapResource over the Synthea export held in memory (validate + map + EventSchema check per event);
 * - ingestBulkExport streaming the Synthea NDJSON files from disk;
 * - a REST pull of the same resources from a FHIR server on 127.0.0.1 (paged searchsets of 200).
 * Run: `npm run bench -w @carerelay/source-fhir`.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createFhirPuller, createMappingContext, ingestBulkExport, learnResources, mapResource } from '../src/index.js';
import { FhirTestServer } from '../test/fhir-test-server.js';

const dir = fileURLToPath(new URL('../../../../shared/data/fhir-r4/synthea-10-patients/', import.meta.url));
const resources = readdirSync(dir)
  .filter((f) => f.endsWith('.ndjson'))
  .flatMap((f) => readFileSync(dir + f, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>));

function report(label: string, count: number, seconds: number): void {
  console.log(`${label.padEnd(40)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(10)} resources/s`);
}

async function time(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

console.log(`${resources.length} Synthea resources`);
const ctx = createMappingContext({ tenantId: 'bench', receivedAt: '2026-11-01T00:00:00Z' });
learnResources(ctx, resources);
const rounds = 5;
await time(() => resources.forEach((r) => mapResource(r, ctx))); // warm up
report('mapResource (in memory)', resources.length * rounds, await time(() => {
  for (let i = 0; i < rounds; i++) for (const r of resources) mapResource(r, ctx);
}));
await ingestBulkExport(dir, createMappingContext({ tenantId: 'bench', receivedAt: '2026-11-01T00:00:00Z' }));
report('ingestBulkExport (NDJSON from disk)', resources.length, await time(() => ingestBulkExport(dir, createMappingContext({ tenantId: 'bench', receivedAt: '2026-11-01T00:00:00Z' }))));

const server = await new FhirTestServer('bench').start();
for (const r of resources) server.upsert(r);
const pulled = { n: 0 };
const seconds = await time(async () => {
  const report = await createFhirPuller({ baseUrl: server.url, bearerToken: 'bench', tenantId: 'bench', pageSize: 200, resourceTypes: ['Practitioner', 'PractitionerRole', 'Patient', 'Condition', 'Encounter', 'MedicationRequest', 'Procedure'] }).pull();
  pulled.n = report.summary.resources;
});
report(`REST pull (${pulled.n} resources, loopback)`, pulled.n, seconds);
await server.close();
