import type { Level } from '@carerelay/core';

/** One item a message names: a requirement, whose it is, and for which patient and milestone. */
export interface MessageItem {
  requirementId: string;
  ownerId: string;
  patientId: string;
  milestoneId: string;
}

/** One notification carried by a message (a digest carries several; a baseline message carries one). */
export interface MessageNotification {
  id: string;
  patientId: string;
  milestoneId: string;
  level: Level;
  items: MessageItem[];
  /** Set on a supervisor escalation: whose overdue items it names. */
  escalatedOwnerId?: string;
}

/** One message one person received at one instant, under some policy. */
export interface DeliveredMessage {
  /** Message id (the engine's digest id, or the baseline's notification id). */
  id: string;
  recipientId: string;
  /** Epoch ms of delivery. */
  at: number;
  level: Level;
  critical: boolean;
  notifications: MessageNotification[];
}

/** The policies compared. */
export const POLICIES = ['broadcast', 'silent', 'carerelay'] as const;
/** One of {@link POLICIES}. */
export type PolicyName = (typeof POLICIES)[number];

/** How each policy is named in reports. */
export const POLICY_LABELS: Record<PolicyName, string> = {
  broadcast: 'Broadcast (daily, whole team, from −5 d)',
  silent: 'Silent until the day before',
  carerelay: 'CareRelay (engine, default policy)',
};

/** Short names for narrow columns. */
export const POLICY_SHORT: Record<PolicyName, string> = { broadcast: 'Broadcast', silent: 'Silent', carerelay: 'CareRelay' };
