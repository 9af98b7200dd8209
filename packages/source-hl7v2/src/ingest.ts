import { CareRelayError, stableHash } from '@carerelay/core';
import { ackHeaderOf } from './ack.js';
import { messageKeyString } from './event-ids.js';
import { mapHl7Message, type Hl7MapOptions } from './map-message.js';
import type { Hl7MappingResult } from './mapping-result.js';
import { parseHl7, type Hl7Message } from './message.js';
import { readMsh } from './segments/msh.js';
import type { SeenControlIds } from './seen-control-ids.js';

/** Options for {@link ingestHl7}. */
export interface Hl7IngestOptions extends Hl7MapOptions {
  /** Remembers applied messages: a retransmission gives status `duplicate` and no events. */
  seen?: SeenControlIds;
}

/** The dedupe key and content fingerprint of a parsed message for one tenant. */
export function messageIdentity(message: Hl7Message, tenantId: string): { key: string; fingerprint: string } {
  const msh = readMsh(message);
  const key = messageKeyString({
    tenantId,
    controlId: msh.controlId,
    ...(msh.sendingApplication === undefined ? {} : { sendingApplication: msh.sendingApplication }),
    ...(msh.sendingFacility === undefined ? {} : { sendingFacility: msh.sendingFacility }),
  });
  return { key, fingerprint: stableHash(message.text) };
}

/** The result for a message whose key was seen: `duplicate` (same content) or `failed` (control id reused). */
export function seenResult(message: Hl7Message, verdict: 'duplicate' | 'conflict'): Hl7MappingResult {
  const header = { controlId: message.controlId, messageType: message.messageType, triggerEvent: message.triggerEvent, version: message.version };
  if (verdict === 'duplicate') {
    return { status: 'duplicate', ...header, events: [], warnings: [{ code: 'duplicate', path: 'MSH-10', message: 'message already ingested; no events' }], errors: [] };
  }
  const error = new CareRelayError('conflict', 'MSH-10: control id already used by this sender for a different message', {
    issues: [{ path: 'MSH-10', message: 'control id already used by this sender for a different message' }],
  });
  return { status: 'failed', ...header, events: [], warnings: [], errors: [error] };
}

/**
 * Parses and maps one HL7 v2 message: `{ status, events, warnings, errors }`. Malformed text gives status `failed`
 * with an `invalid_input` error naming the segment and field; an unsupported type or version gives `rejected`.
 * With `seen`, a message already applied gives `duplicate` (no events), and a reused control id with different
 * content gives `failed` (`conflict`). Never throws.
 */
export function ingestHl7(text: string, options: Hl7IngestOptions): Hl7MappingResult {
  const parsed = parseHl7(text);
  if (!parsed.ok) {
    const controlId = ackHeaderOf(text).controlId;
    return {
      status: parsed.error.code === 'unsupported' ? 'rejected' : 'failed',
      ...(controlId === undefined ? {} : { controlId }),
      events: [],
      warnings: [],
      errors: [parsed.error],
    };
  }
  const message = parsed.value;
  const identity = options.seen ? messageIdentity(message, options.tenantId) : undefined;
  if (options.seen && identity) {
    const verdict = options.seen.check(identity.key, identity.fingerprint);
    if (verdict !== 'new') return seenResult(message, verdict);
  }
  const result = mapHl7Message(message, options);
  if (result.status === 'applied' && options.seen && identity) options.seen.remember(identity.key, identity.fingerprint);
  return result;
}
