import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CareRelayError } from '@carerelay/core';
import { IngestCollector, type IngestItem, type IngestResult } from './ingest-summary.js';
import { mapResource } from './map-resource.js';
import type { MappingContext } from './mapping-context.js';
import { LEARN_ORDER, learnResource } from './resource-learning.js';
import { SUPPORTED_RESOURCE_TYPES } from './resource-schemas.js';

/** NDJSON input: a file path (a string is always a path), a readable stream, or an (async) iterable of text or byte chunks. */
export type NdjsonSource = string | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array> | readonly (string | Uint8Array)[];

async function* lines(source: NdjsonSource): AsyncGenerator<string> {
  const input = typeof source === 'string' ? createReadStream(source) : 'pipe' in source ? source : Readable.from(source as AsyncIterable<string | Uint8Array>);
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) yield line;
  } finally {
    reader.close();
  }
}

function badLine(line: number, file: string | undefined, reason: string): IngestItem {
  const where = `${file ? `${file} ` : ''}line ${line}`;
  return {
    outcome: { status: 'invalid', error: new CareRelayError('invalid_input', `${where}: (root): ${reason}`, { issues: [{ path: '', message: reason }] }) },
    location: { ...(file ? { file } : {}), line },
  };
}

/**
 * Streams an NDJSON file (FHIR Bulk Data output: one resource a line), mapping each line as it is read. A line
 * that is not JSON, or not a resource, becomes an `invalid` item with its line number (the message never quotes
 * the line: it may hold PHI); the rest goes on. Blank lines are skipped.
 */
export async function* ingestNdjson(source: NdjsonSource, ctx: MappingContext, options: { file?: string } = {}): AsyncGenerator<IngestItem> {
  const file = options.file ?? (typeof source === 'string' ? basename(source) : undefined);
  let number = 0;
  for await (const raw of lines(source)) {
    number++;
    const text = (number === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (text === '') continue;
    let resource: unknown;
    try {
      resource = JSON.parse(text);
    } catch {
      yield badLine(number, file, 'not valid JSON');
      continue;
    }
    learnResource(ctx, resource);
    const outcome = mapResource(resource, ctx);
    if (outcome.status === 'invalid') {
      const error = new CareRelayError(outcome.error.code, `${file ? `${file} ` : ''}line ${number}: ${outcome.error.message}`, { issues: outcome.error.issues, cause: outcome.error });
      yield { outcome: { ...outcome, error }, location: { ...(file ? { file } : {}), line: number } };
    } else yield { outcome, location: { ...(file ? { file } : {}), line: number } };
  }
}


/** The resource type a Bulk Data file name announces (`Patient.ndjson`, `Patient.000.ndjson`, `1.Patient.ndjson`). */
export function resourceTypeOfFile(file: string): string | undefined {
  return basename(file)
    .replace(/\.ndjson$/i, '')
    .split('.')
    .find((part) => /^[A-Z][A-Za-z]+$/.test(part));
}

function orderOf(type: string | undefined): number {
  const i = SUPPORTED_RESOURCE_TYPES.indexOf(type as (typeof SUPPORTED_RESOURCE_TYPES)[number]);
  return i === -1 ? SUPPORTED_RESOURCE_TYPES.length : i;
}

/** Options for {@link ingestBulkExport}. */
export interface BulkIngestOptions {
  /** Called with every item as it is mapped (the result keeps only events, warnings and invalid items). */
  onItem?: (item: IngestItem) => void;
}

/**
 * Ingests a FHIR Bulk Data export: a directory of `.ndjson` files (or a list of files). Files are read in dependency
 * order (practitioners and patients before what refers to them); practitioner, patient, episode-of-care, condition and
 * prescription files are read once beforehand so cross-file references resolve. Each file streams line by line.
 */
export async function ingestBulkExport(input: string | readonly string[], ctx: MappingContext, options: BulkIngestOptions = {}): Promise<IngestResult> {
  const files = typeof input === 'string' ? (await readdir(input)).filter((f) => f.toLowerCase().endsWith('.ndjson')).map((f) => join(input, f)) : [...input];
  const ordered = files
    .map((file) => ({ file, type: resourceTypeOfFile(file) }))
    .sort((a, b) => orderOf(a.type) - orderOf(b.type) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // Practitioner, patient, medication, condition and prescription files are read once beforehand (in LEARN_ORDER),
  // so references to them resolve whatever order lines and files come in.
  const learnFirst = ordered.filter((f) => f.type !== undefined && LEARN_ORDER.includes(f.type)).sort((a, b) => LEARN_ORDER.indexOf(a.type!) - LEARN_ORDER.indexOf(b.type!));
  for (const { file } of learnFirst) {
    for await (const line of lines(file)) {
      try {
        learnResource(ctx, JSON.parse(line));
      } catch {
        // Bad lines are reported by the mapping pass.
      }
    }
  }
  const collector = new IngestCollector();
  for (const { file } of ordered) {
    for await (const item of ingestNdjson(file, ctx)) {
      collector.add(item);
      options.onItem?.(item);
    }
  }
  return collector.result();
}
