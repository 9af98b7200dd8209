import type { CareEvent } from '@carerelay/core';
import type { MapOutcome, MappingWarning } from './map-result.js';

/** Where an input came from: a file and line, a Bundle entry, a page of a search. */
export interface IngestLocation {
  file?: string;
  /** 1-based line number in an NDJSON file. */
  line?: number;
  /** 0-based index of a Bundle entry. */
  entry?: number;
  /** 1-based page of a REST search. */
  page?: number;
}

/** One input's outcome, with where it came from. */
export interface IngestItem {
  outcome: MapOutcome;
  location: IngestLocation;
}

/** Counts of an ingestion: what came in, what it became, what was wrong. */
export interface IngestSummary {
  resources: number;
  mapped: number;
  notRelevant: number;
  invalid: number;
  events: number;
  /** Events per `type`. */
  eventsByType: Record<string, number>;
  /** `fact.recorded` events per fact kind (transitions split by transition: `transition.discharge`). */
  factsByKind: Record<string, number>;
  warningsByCode: Record<string, number>;
  /** Not-relevant resources per resource type. */
  notRelevantByType: Record<string, number>;
  /** Invalid inputs per error code. */
  invalidByCode: Record<string, number>;
}

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

/** Accumulates outcomes into an {@link IngestSummary}. */
export class IngestTally {
  private readonly counts: IngestSummary = {
    resources: 0,
    mapped: 0,
    notRelevant: 0,
    invalid: 0,
    events: 0,
    eventsByType: {},
    factsByKind: {},
    warningsByCode: {},
    notRelevantByType: {},
    invalidByCode: {},
  };

  /** Counts one outcome. */
  add(outcome: MapOutcome): void {
    const c = this.counts;
    c.resources++;
    if (outcome.status === 'not_relevant') {
      c.notRelevant++;
      bump(c.notRelevantByType, outcome.resourceType);
      return;
    }
    if (outcome.status === 'invalid') {
      c.invalid++;
      bump(c.invalidByCode, outcome.error.code);
      return;
    }
    c.mapped++;
    for (const warning of outcome.warnings) bump(c.warningsByCode, warning.code);
    for (const event of outcome.events) countEvent(c, event);
  }

  /** A copy of the counts so far. */
  summary(): IngestSummary {
    return structuredClone(this.counts);
  }
}

function countEvent(c: IngestSummary, event: CareEvent): void {
  c.events++;
  bump(c.eventsByType, event.type);
  if (event.type === 'fact.recorded') bump(c.factsByKind, event.fact.kind === 'transition' ? `transition.${event.fact.transition}` : event.fact.kind);
}

/** What an ingestion produced: its events, warnings, the inputs that failed, and counts. */
export interface IngestResult {
  /**
   * The events in input order, except that case closures (`case.closed`: a deceased patient) come last, so the
   * follow-ups the same batch's earlier-dated facts schedule are closed with the case rather than opened after it.
   */
  events: CareEvent[];
  warnings: MappingWarning[];
  /** Inputs that could not be read, with where they came from. */
  invalid: IngestItem[];
  summary: IngestSummary;
}

/** Collects items into an {@link IngestResult}. */
export class IngestCollector {
  readonly events: CareEvent[] = [];
  readonly warnings: MappingWarning[] = [];
  readonly invalid: IngestItem[] = [];
  private readonly tally = new IngestTally();

  /** Adds one item. */
  add(item: IngestItem): void {
    this.tally.add(item.outcome);
    if (item.outcome.status === 'mapped') {
      this.events.push(...item.outcome.events);
      this.warnings.push(...item.outcome.warnings);
    } else if (item.outcome.status === 'invalid') this.invalid.push(item);
  }

  /** The result so far (case closures last: see {@link IngestResult.events}). */
  result(): IngestResult {
    const closures = this.events.filter((e) => e.type === 'case.closed');
    const events = closures.length === 0 ? this.events : [...this.events.filter((e) => e.type !== 'case.closed'), ...closures];
    return { events, warnings: this.warnings, invalid: this.invalid, summary: this.tally.summary() };
  }
}
