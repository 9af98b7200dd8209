import { CareRelayError, type Instant } from '@carerelay/core';
import { codeTables, type CodeTables } from './code-lookup.js';
import { hl7EventId, type MessageKey } from './event-ids.js';
import type { Hl7MappingConfig } from './mapping-config.js';
import type { Hl7Warning } from './mapping-result.js';
import type { Hl7Message } from './message.js';
import { readMsh, type MshSegment } from './segments/msh.js';
import { hl7Instant } from './timestamp.js';

/** Everything one message's mapping needs, plus the warnings it collects. */
export interface MappingContext {
  readonly message: Hl7Message;
  readonly msh: MshSegment;
  readonly tenantId: string;
  readonly config: Hl7MappingConfig;
  readonly tables: CodeTables;
  readonly key: MessageKey;
  /** Zone for timestamps without offset and for the patient: the sending facility's, else the configured default. */
  readonly timeZone: string;
  readonly warnings: Hl7Warning[];
  /** Deterministic id of the event in `slot`. */
  eventId(slot: string): string;
  /** The first candidate timestamp that parses; warns about candidates that are present but unreadable. */
  firstInstant(candidates: ReadonlyArray<readonly [path: string, raw: string | undefined]>): Instant | undefined;
}

/** Builds the mapping context of one message. */
export function mappingContext(message: Hl7Message, tenantId: string, config: Hl7MappingConfig): MappingContext {
  const msh = readMsh(message);
  const key: MessageKey = {
    tenantId,
    controlId: msh.controlId,
    ...(msh.sendingApplication === undefined ? {} : { sendingApplication: msh.sendingApplication }),
    ...(msh.sendingFacility === undefined ? {} : { sendingFacility: msh.sendingFacility }),
  };
  const timeZone = (msh.sendingFacility !== undefined ? config.facilityTimeZones[msh.sendingFacility] : undefined) ?? config.timeZone;
  const warnings: Hl7Warning[] = [];
  return {
    message,
    msh,
    tenantId,
    config,
    tables: codeTables(config),
    key,
    timeZone,
    warnings,
    eventId: (slot) => hl7EventId(key, msh.messageType, msh.triggerEvent, slot),
    firstInstant(candidates) {
      for (const [path, raw] of candidates) {
        if (raw === undefined) continue;
        const instant = hl7Instant(raw, timeZone);
        if (instant !== undefined) return instant;
        warnings.push({ code: 'invalid_timestamp', path, message: 'not a valid HL7 date/time; the next candidate was used' });
      }
      return undefined;
    },
  };
}

/** A mapping failure: the message is malformed for CareRelay's purposes (`invalid_input`, answered `AE`). */
export function mappingError(path: string, message: string): CareRelayError {
  return new CareRelayError('invalid_input', `${path}: ${message}`, { issues: [{ path, message }] });
}

/** A refusal: the message is well formed but not something this source handles (`unsupported`, answered `AR`). */
export function unsupportedError(path: string, message: string): CareRelayError {
  return new CareRelayError('unsupported', `${path}: ${message}`, { issues: [{ path, message }] });
}
