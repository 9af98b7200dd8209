import type { CodeMap, Hl7MappingConfig } from './mapping-config.js';

/** Outcome of looking a code up: mapped to a value, deliberately ignored (`null` in the table), or unknown. */
export type CodeLookup = { kind: 'mapped'; value: string } | { kind: 'ignored' } | { kind: 'unmapped' };

const normalise = (code: string) => code.trim().toUpperCase();
const normaliseDiagnosis = (code: string) => normalise(code).replace(/\./g, '');

interface CompiledTable {
  exact: Map<string, string | null>;
  /** Prefix entries, longest first. */
  prefixes: Array<[string, string | null]>;
}

function compile(map: CodeMap | undefined, norm: (code: string) => string, allowPrefix: boolean): CompiledTable | undefined {
  if (map === undefined) return undefined;
  const exact = new Map<string, string | null>();
  const prefixes: Array<[string, string | null]> = [];
  for (const [key, value] of Object.entries(map)) {
    if (allowPrefix && key.endsWith('*')) prefixes.push([norm(key.slice(0, -1)), value]);
    else exact.set(norm(key), value);
  }
  prefixes.sort((a, b) => b[0].length - a[0].length);
  return { exact, prefixes };
}

function lookup(table: CompiledTable, code: string, norm: (code: string) => string): CodeLookup {
  const key = norm(code);
  let value = table.exact.get(key);
  if (value === undefined) value = table.prefixes.find(([prefix]) => key.startsWith(prefix))?.[1];
  if (value === undefined) return { kind: 'unmapped' };
  return value === null ? { kind: 'ignored' } : { kind: 'mapped', value };
}

/** The configuration's code tables, compiled once for fast, case-insensitive lookups. */
export interface CodeTables {
  patientClass(code: string): CodeLookup;
  diagnosis(code: string): CodeLookup;
  role(code: string): CodeLookup;
  payer(code: string): CodeLookup;
  /** Undefined when the configuration has no service table. */
  service: ((code: string) => CodeLookup) | undefined;
  /** Undefined when the configuration has no program table. */
  program: ((code: string) => CodeLookup) | undefined;
}

const cache = new WeakMap<Hl7MappingConfig, CodeTables>();

/** Compiles (and caches per configuration object) the code tables of a mapping configuration. */
export function codeTables(config: Hl7MappingConfig): CodeTables {
  const cached = cache.get(config);
  if (cached) return cached;
  const table = (map: CodeMap | undefined, prefix = false, norm = normalise) => {
    const compiled = compile(map, norm, prefix);
    return compiled === undefined ? undefined : (code: string) => lookup(compiled, code, norm);
  };
  const tables: CodeTables = {
    patientClass: table(config.patientClasses)!,
    diagnosis: table(config.diagnosisCategories, true, normaliseDiagnosis)!,
    role: table(config.roles)!,
    payer: table(config.payers)!,
    service: table(config.services),
    program: table(config.programs),
  };
  cache.set(config, tables);
  return tables;
}
