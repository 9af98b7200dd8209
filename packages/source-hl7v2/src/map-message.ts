import { CareRelayError, EventSchema, TenantIdSchema, issuesFromZod, type CareEvent } from '@carerelay/core';
import { mapAdt, type MessageMapping } from './map-adt.js';
import { mapSiu } from './map-siu.js';
import { mappingContext, unsupportedError } from './mapping-context.js';
import { createHl7MappingConfig, type Hl7MappingConfig } from './mapping-config.js';
import type { Hl7MappingResult } from './mapping-result.js';
import type { Hl7Message } from './message.js';

/** Options for mapping messages of one tenant. */
export interface Hl7MapOptions {
  /** The tenant the messages belong to. */
  tenantId: string;
  /** A validated mapping configuration (see `createHl7MappingConfig`); defaults apply when absent. */
  config?: Hl7MappingConfig;
}

let defaultConfig: Hl7MappingConfig | undefined;
/** The default configuration, validated once. */
export function defaultHl7MappingConfig(): Hl7MappingConfig {
  defaultConfig ??= createHl7MappingConfig();
  return defaultConfig;
}

function headerOf(message: Hl7Message) {
  return { controlId: message.controlId, messageType: message.messageType, triggerEvent: message.triggerEvent, version: message.version };
}

/**
 * Maps one parsed message to CareRelay events. ADT A01/A02/A03/A04/A08/A11/A13 and SIU S12/S13/S14/S15/S17/S26 are
 * supported; any other type, or a version outside the configuration's list, is `rejected` (error code
 * `unsupported`). Every returned event has passed core `EventSchema` (instants normalised, defaults applied).
 * Never throws.
 */
export function mapHl7Message(message: Hl7Message, options: Hl7MapOptions): Hl7MappingResult {
  const config = options.config ?? defaultHl7MappingConfig();
  const header = headerOf(message);
  const rejected = (error: CareRelayError): Hl7MappingResult => ({ status: 'rejected', ...header, events: [], warnings: [], errors: [error] });
  if (!TenantIdSchema.safeParse(options.tenantId).success) {
    return { status: 'failed', ...header, events: [], warnings: [], errors: [new CareRelayError('invalid_configuration', 'tenantId: not a valid id')] };
  }
  if (!config.supportedVersions.includes(message.version)) {
    return rejected(unsupportedError('MSH-12', `version ${message.version} is not supported (supported: ${config.supportedVersions.join(', ')})`));
  }
  const ctx = mappingContext(message, options.tenantId, config);
  let mapping: MessageMapping;
  try {
    if (message.messageType === 'ADT') mapping = mapAdt(ctx);
    else if (message.messageType === 'SIU') mapping = mapSiu(ctx);
    else return rejected(unsupportedError('MSH-9', `message type ${message.messageType} is not supported (supported: ADT, SIU)`));
  } catch (cause) {
    // Defensive: a mapping bug must answer AE, not crash a listener.
    return { status: 'failed', ...header, events: [], warnings: ctx.warnings, errors: [new CareRelayError('internal', 'mapping failed unexpectedly', { cause })] };
  }
  if (!mapping.ok) {
    const status = mapping.error.code === 'unsupported' ? 'rejected' : 'failed';
    return { status, ...header, events: [], warnings: ctx.warnings, errors: [mapping.error] };
  }
  const events: CareEvent[] = [];
  for (const [index, input] of mapping.events.entries()) {
    const parsed = EventSchema.safeParse(input);
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error).map((issue) => ({ path: `events.${index}.${issue.path}`, message: issue.message }));
      const error = new CareRelayError('invalid_input', `message maps to an invalid ${input.type} event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues });
      return { status: 'failed', ...header, events: [], warnings: ctx.warnings, errors: [error] };
    }
    events.push(parsed.data);
  }
  return { status: 'applied', ...header, events, warnings: ctx.warnings, errors: [] };
}
