import { type Notification, digest } from '@carerelay/core';
import { type OutboundMessage, type RenderOptions, type TrustLevel, renderMessage } from '@carerelay/engine';

/** The test secret of the Standard Webhooks specification's examples. */
export const SPEC_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
/** A second secret, for rotation tests. */
export const NEW_SECRET = `whsec_${Buffer.from('carerelay-rotation-secret-0002!!').toString('base64')}`;

/** PHI carried in {@link phiNotification}'s PHI-bearing fields. */
export const PHI_STRINGS = ['Morgan', 'Reyes', '2011-05-03', 'escitalopram', 'major depressive', 'pat-b-mrn-778812'];

/** A critical crisis page for one recipient, with PHI in its item text, reason and label. */
export function phiNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'ntf_hook_1',
    tenantId: 'clinic-north',
    patientId: 'pat-b-mrn-778812',
    displayToken: 'M.R. ·1177',
    recipientId: 'crisis-1',
    level: 'critical',
    critical: true,
    deliverAt: '2026-11-26T20:00:00.000Z',
    taskId: 'task_00000000000000c9',
    stepId: 'page',
    repeat: 0,
    milestoneId: 'crisis-b',
    milestoneKind: 'crisis_follow_up',
    deadline: '2026-11-27T20:00:00.000Z',
    channels: ['in_app', 'webhook'],
    phiClass: 'phi',
    items: [
      {
        requirementId: 'req-safety',
        ownerId: 'crisis-1',
        summary: 'Crisis follow-up and safety plan',
        text: 'safety plan review for Morgan Reyes (born 2011-05-03) on escitalopram 10 mg',
        reason: 'Crisis follow-up for major depressive disorder within 24 hours.',
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: 'crisis-b',
        milestoneKind: 'crisis_follow_up',
        milestoneLabel: 'Crisis follow-up for Morgan Reyes',
      },
    ],
    ...overrides,
  };
}

/** A rendered message for {@link phiNotification}. */
export function message(trust: TrustLevel = 'phi-minimal', overrides: Partial<Notification> = {}, render: RenderOptions = {}): OutboundMessage {
  const [d] = digest([phiNotification(overrides)], { windowMinutes: 0 });
  return renderMessage(d!, trust, { deepLinkBase: 'https://app.clinic.example', timeZone: 'America/New_York', ...render });
}
