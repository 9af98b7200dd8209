import { CareRelayError, EventSchema } from '@carerelay/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MapOutcome, createMappingContext, ingestBundle, ingestNdjson, learnResources, mapResource } from '../src/index.js';
import { syntheaResources, usCoreExamples } from './data-files.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Real resources to mutate: every US Core example that is not a Bundle, and a slice of each Synthea type.
const samples: Record<string, Json>[] = [
  ...usCoreExamples()
    .filter((e) => e.resource.resourceType !== 'Bundle')
    .map((e) => e.resource as Record<string, Json>),
  ...['Patient', 'Practitioner', 'PractitionerRole', 'Encounter', 'Condition', 'MedicationRequest'].flatMap((type) => syntheaResources(type).slice(0, 6) as Record<string, Json>[]),
];

/** Every path to a value inside a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((v, i) => paths(v, [...prefix, i])) : Object.entries(value).map(([k, v]) => paths(v, [...prefix, k]));
  return [prefix, ...children.flat()];
}

/** A copy of `doc` with the value at `path` replaced (or deleted when `replacement` is undefined). */
function mutateAt(doc: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(doc) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = replacement;
  return copy;
}

const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('2026-13-45', 'not-a-date', '1987', 'Patient/', 'Practitioner?identifier=|', 'urn:uuid:', 'IMP', 'finished', 'F41.0', '', '   '),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** A real resource with one to three random elements deleted or replaced by wrong values. */
const mutatedResource = fc
  .tuple(fc.constantFrom(...samples), fc.array(fc.tuple(fc.nat(), replacement), { minLength: 1, maxLength: 3 }))
  .map(([doc, edits]) => {
    let out: Json = doc;
    for (const [pick, value] of edits) {
      const all = paths(out);
      out = mutateAt(out, all[pick % all.length]!, value);
    }
    return { original: doc, doc: out };
  });

/** Names and birth dates in the original resource: PHI that must never appear in an error message. */
function phiOf(doc: Json): string[] {
  const found: string[] = [];
  const visit = (v: Json, key?: string) => {
    if (typeof v === 'string' && (key === 'family' || key === 'given' || key === 'birthDate') && v.length >= 3) found.push(v);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(doc);
  return found;
}

function checkOutcome(outcome: MapOutcome, original: Json): void {
  expect(['mapped', 'not_relevant', 'invalid']).toContain(outcome.status);
  if (outcome.status === 'mapped') for (const event of outcome.events) EventSchema.parse(event);
  if (outcome.status !== 'invalid') return;
  // A typed error naming what is wrong: a known code (never a crash caught as `internal`), issues with paths.
  expect(outcome.error).toBeInstanceOf(CareRelayError);
  expect(['invalid_input', 'not_found']).toContain(outcome.error.code);
  expect(outcome.error.issues.length).toBeGreaterThan(0);
  for (const issue of outcome.error.issues) {
    expect(typeof issue.path).toBe('string');
    expect(outcome.error.message).toContain(`${issue.path || '(root)'}: ${issue.message}`);
  }
  for (const phi of phiOf(original)) expect(outcome.error.message).not.toContain(phi);
}

describe('fuzz: mutated FHIR JSON', () => {
  it('never crashes the mapper; each bad input gets a typed error naming the element, without PHI', () => {
    const ctx = createMappingContext({ tenantId: 'fuzz', receivedAt: '2026-11-01T12:00:00Z' });
    learnResources(ctx, samples);
    let invalid = 0;
    fc.assert(
      fc.property(mutatedResource, ({ original, doc }) => {
        const outcome = mapResource(doc, ctx);
        checkOutcome(outcome, original);
        if (outcome.status === 'invalid') invalid++;
      }),
      { numRuns: 400, seed: 20261101 },
    );
    expect(invalid).toBeGreaterThan(20);
  }, 60_000);

  it('a bad line in an NDJSON stream becomes a typed error with its line number; the good lines around it still arrive', async () => {
    const good = [...syntheaResources('Encounter').filter((e) => ['IMP', 'EMER'].includes((e.class as { code: string }).code)).slice(0, 8), ...syntheaResources('Patient').slice(0, 3)];
    const reference = createMappingContext({ tenantId: 'fuzz', receivedAt: '2026-11-01T12:00:00Z' });
    const expected = good.map((r) => {
      const outcome = mapResource(r, reference);
      return outcome.status === 'mapped' ? outcome.events.map((e) => e.id) : [];
    });
    const garbage = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '' && !/[\r\n\u2028\u2029]/.test(s)),
      mutatedResource.map(({ doc }) => JSON.stringify(doc)),
      fc.constantFrom('{"resourceType":"Encounter"', '[]', '{}', 'null', '{"resourceType":"Patient","id":"bad id!"}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), garbage), { minLength: good.length, maxLength: good.length * 2 }), async (mix) => {
        const lines: { good?: number; text: string }[] = [];
        let next = 0;
        for (const [takeGood, bad] of mix) {
          if (takeGood && next < good.length) lines.push({ good: next, text: JSON.stringify(good[next++]) });
          else lines.push({ text: bad });
        }
        while (next < good.length) lines.push({ good: next, text: JSON.stringify(good[next++]) });
        const ctx = createMappingContext({ tenantId: 'fuzz', receivedAt: '2026-11-01T12:00:00Z' });
        const items = [];
        for await (const item of ingestNdjson([lines.map((l) => l.text).join('\n')], ctx, { file: 'mixed.ndjson' })) items.push(item);
        expect(items).toHaveLength(lines.length);
        items.forEach((item, i) => {
          expect(item.location.line).toBe(i + 1);
          const line = lines[i]!;
          if (line.good !== undefined) {
            expect(item.outcome.status === 'mapped' ? item.outcome.events.map((e) => e.id) : item.outcome.status).toEqual(expected[line.good]);
          } else if (item.outcome.status === 'invalid') {
            expect(item.outcome.error.message).toMatch(new RegExp(`^mixed\\.ndjson line ${i + 1}: `));
          }
        });
      }),
      { numRuns: 60, seed: 7 },
    );
  }, 60_000);

  it('a bad Bundle entry is reported by its index while the other entries map', () => {
    const patient = syntheaResources('Patient')[0]!;
    const encounter = syntheaResources('Encounter').find((e) => (e.class as { code: string }).code === 'EMER')!;
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: { ...encounter, period: { end: 'yesterday' } } }, { resource: 42 }, { resource: encounter }] };
    const result = ingestBundle(bundle, createMappingContext({ tenantId: 'fuzz', receivedAt: '2026-11-01T12:00:00Z' }));
    expect(result.items.map((i) => [i.location.entry, i.outcome.status])).toEqual([
      [0, 'mapped'],
      [1, 'invalid'],
      [2, 'invalid'],
      [3, 'mapped'],
    ]);
    expect(result.invalid[0]?.outcome).toMatchObject({ status: 'invalid', error: { code: 'invalid_input', issues: [{ path: 'period.end', message: 'not a FHIR date/dateTime' }] } });
    expect(result.summary.factsByKind).toEqual({ 'transition.admission': 1, 'transition.discharge': 1 });
  });
});
