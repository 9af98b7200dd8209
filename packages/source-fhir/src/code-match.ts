import type { CodeMatch } from './mapping-config.js';

/** A coding as it appears in FHIR JSON (every field optional). */
export interface CodingLike {
  system?: string | undefined;
  code?: string | undefined;
  display?: string | undefined;
}

/** A CodeableConcept as it appears in FHIR JSON. */
export interface ConceptLike {
  coding?: readonly CodingLike[] | undefined;
  text?: string | undefined;
}

/** A coding found in a resource, with the dotted path it was found at (for warnings). */
export interface LocatedCoding {
  coding: CodingLike;
  path: string;
}

/** Lists the codings of one or several CodeableConcepts, with their paths (`code.coding.0`, `reasonCode.1.coding.0`). */
export function codingsOf(concepts: ConceptLike | readonly ConceptLike[] | undefined, path: string): LocatedCoding[] {
  if (concepts === undefined) return [];
  const list = Array.isArray(concepts) ? (concepts as readonly ConceptLike[]) : [concepts as ConceptLike];
  const many = Array.isArray(concepts);
  const found: LocatedCoding[] = [];
  list.forEach((concept, i) =>
    (concept.coding ?? []).forEach((coding, j) => found.push({ coding, path: `${path}${many ? `.${i}` : ''}.coding.${j}` })),
  );
  return found;
}

const normalizeSystem = (system: string) => system.trim().replace(/\/+$/, '').toLowerCase();
const compact = (code: string) => code.replace(/\./g, '').toUpperCase();

/** Whether one coding matches one table row. Systems compare without case or trailing slashes. */
export function codingMatches(row: CodeMatch, coding: CodingLike): boolean {
  if (!coding.system || !coding.code) return false;
  if (normalizeSystem(row.system) !== normalizeSystem(coding.system)) return false;
  if (row.match === 'prefix') return compact(coding.code).startsWith(compact(row.code));
  return row.code === coding.code.trim();
}

/**
 * The first row matching any coding, trying codings in order (so the resource's first mappable coding wins) and
 * rows in order (so the vendor's rows win over defaults).
 */
export function findCode<T extends CodeMatch>(rows: readonly T[], codings: readonly LocatedCoding[]): { row: T; found: LocatedCoding } | undefined {
  for (const found of codings) {
    const row = rows.find((r) => codingMatches(r, found.coding));
    if (row) return { row, found };
  }
  return undefined;
}
