import { CalendarCache, EventSchema, type Notification, createCoreConfig, emptyState, plan, reduce } from '@carerelay/core';
import type { Scenario } from '@carerelay/testkit/scenarios';

/**
 * Runs a scenario through the pure core the way an engine does: reduce its events, then plan at `from` and at
 * every `nextWakeAt` up to `to`. Returns every notification in the order it was planned.
 */
export function scenarioNotifications(scenario: Scenario, from: string, to: string): Notification[] {
  const config = createCoreConfig();
  let state = emptyState(scenario.tenantId);
  for (const event of scenario.events) state = reduce(state, EventSchema.parse(event), config);
  const calendars = new CalendarCache();
  const notifications: Notification[] = [];
  let now = from;
  for (let guard = 0; guard < 10_000; guard++) {
    const result = plan(state, now, config, { calendars });
    state = result.state;
    notifications.push(...result.notifications);
    if (result.nextWakeAt === null || result.nextWakeAt > to) break;
    now = result.nextWakeAt;
  }
  return notifications;
}

/** A notification for one recipient, with PHI in its item text the way core rules fill it in. */
export function phiNotification(overrides: Partial<Notification> = {}): Notification {
  const base: Notification = {
    id: 'ntf_email_1',
    tenantId: 'clinic-north',
    patientId: 'pat-b',
    displayToken: 'M.R. ·1177',
    recipientId: 'pres-1',
    level: 'urgent',
    critical: false,
    deliverAt: '2026-11-26T20:00:00.000Z',
    taskId: 'task_00000000000000b1',
    stepId: 'urgent',
    repeat: 0,
    milestoneId: 'auth-b',
    milestoneKind: 'authorization_review',
    deadline: '2026-11-27T20:00:00.000Z',
    channels: ['in_app', 'email'],
    phiClass: 'phi',
    items: [
      {
        requirementId: 'req-response',
        ownerId: 'pres-1',
        summary: 'Medication response',
        text: 'medication response to escitalopram 10 mg',
        reason: 'Medication-management reviews require the response to the current regimen.',
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: 'auth-b',
        milestoneKind: 'authorization_review',
        milestoneLabel: 'Medicaid authorization review',
      },
      {
        requirementId: 'req-side-effects',
        ownerId: 'pres-1',
        summary: 'Reported side effects',
        text: 'reported side effects (Morgan Reyes, born 2011-05-03; generalized anxiety disorder)',
        reason: 'Medication-management reviews require side effects to be assessed and documented.',
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: 'auth-b',
        milestoneKind: 'authorization_review',
        milestoneLabel: 'Medicaid authorization review',
      },
    ],
  };
  return { ...base, ...overrides };
}

/** The PHI {@link phiNotification} and scenario B carry. */
export const PHI_STRINGS = ['Morgan', 'Reyes', '2011-05-03', 'escitalopram', '10 mg', 'anxiety disorder'];
