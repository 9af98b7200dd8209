import type { Notification } from '@carerelay/core';
import type * as fhir4 from 'fhir/r4.js';
import { CARERELAY_SYSTEMS } from './code-systems.js';
import { type FhirMappingConfigInput, type ResolvedMappingConfig, toResolvedConfig } from './mapping-config.js';
import { ownerReference, toFhirId } from './references.js';

/** How a notification was delivered. */
export interface Delivery {
  channel: string;
  deliveredAt: string;
}

/** Options of {@link communicationToFhir}. */
export interface CommunicationExportOptions {
  /** Include each item's full text (may hold PHI such as a medication). Default: PHI-free summaries only. */
  includeText?: boolean;
  config?: ResolvedMappingConfig | FhirMappingConfigInput;
}

const PRIORITY = { notice: 'routine', reminder: 'routine', urgent: 'urgent', supervisor: 'urgent', critical: 'stat' } as const;

/**
 * A delivered notification as a FHIR R4 `Communication` (status `completed`): `subject` the patient (by display
 * token), `recipient` the owner, `basedOn` the Task it is about, `sent` the delivery time, `medium` the channel,
 * `category` the escalation level, one `payload` per item (its summary and deadline; full text only when asked).
 */
export function communicationToFhir(notification: Notification, delivery: Delivery, options: CommunicationExportOptions = {}): fhir4.Communication {
  const config = toResolvedConfig(options.config);
  return {
    resourceType: 'Communication',
    id: toFhirId(notification.id),
    identifier: [{ system: CARERELAY_SYSTEMS.notificationId, value: notification.id }],
    basedOn: [{ reference: `Task/${toFhirId(notification.taskId)}` }],
    status: 'completed',
    category: [{ coding: [{ system: CARERELAY_SYSTEMS.escalationLevel, code: notification.level }], text: notification.level }],
    priority: notification.critical ? 'stat' : PRIORITY[notification.level],
    medium: [{ coding: [{ system: CARERELAY_SYSTEMS.channel, code: delivery.channel }], text: delivery.channel }],
    subject: { reference: `Patient/${notification.patientId}`, display: notification.displayToken },
    topic: { coding: [{ system: CARERELAY_SYSTEMS.milestoneKind, code: notification.milestoneKind }], text: notification.items[0]?.milestoneLabel ?? notification.milestoneKind },
    sent: delivery.deliveredAt,
    recipient: [ownerReference(config, notification.recipientId)],
    payload: notification.items.map((item) => ({ contentString: `${options.includeText ? item.text : item.summary} (due ${item.deadline})` })),
  };
}
