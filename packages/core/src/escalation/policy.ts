import { z } from 'zod';
import { ChannelNameSchema, LEVELS, LevelSchema } from '../model/entities.js';
import { IdSchema } from '../model/primitives.js';

/** Who receives a step: the task's owner, the owner's supervisor, or the tenant's on-call crisis clinician. */
export const StepRecipientSchema = z.enum(['owner', 'supervisor']);

/** One step of an escalation ladder, placed relative to the deadline. */
export const EscalationStepSchema = z.object({
  id: IdSchema,
  /** Minutes relative to the deadline: −7200 is five days before, 0 is at the deadline. */
  offsetMinutes: z.number().int().min(-365 * 24 * 60).max(30 * 24 * 60),
  level: LevelSchema,
  recipient: StepRecipientSchema.default('owner'),
  /** Channels used at this step unless the recipient prefers others. */
  channels: z.array(ChannelNameSchema).min(1).default(['in_app']),
  /** Critical steps bypass working hours and repeat until acknowledged. */
  critical: z.boolean().default(false),
  /** For critical steps: minutes between repeats while unacknowledged. */
  repeatEveryMinutes: z.number().int().min(1).max(24 * 60).optional(),
  /** For critical steps: the most repeats after the first message. */
  maxRepeats: z.number().int().min(0).max(100).default(6),
});
/** An escalation step. */
export type EscalationStep = z.infer<typeof EscalationStepSchema>;

/** Rank of a level: higher is more urgent. */
export function levelRank(level: z.infer<typeof LevelSchema>): number {
  return LEVELS.indexOf(level);
}

/**
 * An escalation policy: ordered steps relative to a deadline, with a digest window and a daily budget
 * per recipient. Validation requires steps in time order with urgency that never decreases.
 */
export const EscalationPolicySchema = z
  .object({
    id: IdSchema,
    name: z.string().max(200).optional(),
    steps: z.array(EscalationStepSchema).min(1).max(20),
    /** Items falling due for one recipient within this many minutes go out as one message. */
    digestWindowMinutes: z.number().int().min(0).max(24 * 60).default(60),
    /** Most non-critical messages one recipient receives per local day. */
    dailyBudget: z.number().int().min(1).max(100).default(5),
  })
  .superRefine((policy, ctx) => {
    policy.steps.forEach((step, index) => {
      const previous = policy.steps[index - 1];
      if (!previous) return;
      if (step.offsetMinutes < previous.offsetMinutes) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'offsetMinutes'], message: 'steps must be in time order' });
      }
      if (levelRank(step.level) < levelRank(previous.level)) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'level'], message: 'urgency must not decrease from one step to the next' });
      }
    });
    policy.steps.forEach((step, index) => {
      if (step.recipient === 'supervisor' && step.offsetMinutes < 0) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'offsetMinutes'], message: 'a supervisor step escalates overdue work: it must be at or after the deadline' });
      }
    });
    const ids = new Set<string>();
    policy.steps.forEach((step, index) => {
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: 'duplicate step id' });
      ids.add(step.id);
    });
  });
/** A validated escalation policy. */
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;
/** Input form of {@link EscalationPolicy}. */
export type EscalationPolicyInput = z.input<typeof EscalationPolicySchema>;

const DAY_MINUTES = 24 * 60;

/**
 * The default ladder: −5 d notice, −3 d reminder listing the open items, −1 d urgent (in-app and email),
 * +0 escalation to the owner's supervisor naming the overdue items.
 */
export const DEFAULT_POLICY: EscalationPolicy = EscalationPolicySchema.parse({
  id: 'default',
  name: 'Default authorization ladder',
  steps: [
    { id: 'notice', offsetMinutes: -5 * DAY_MINUTES, level: 'notice', channels: ['in_app'] },
    { id: 'reminder', offsetMinutes: -3 * DAY_MINUTES, level: 'reminder', channels: ['in_app'] },
    { id: 'urgent', offsetMinutes: -1 * DAY_MINUTES, level: 'urgent', channels: ['in_app', 'email'] },
    { id: 'supervisor', offsetMinutes: 0, level: 'supervisor', recipient: 'supervisor', channels: ['in_app', 'email'] },
  ],
  digestWindowMinutes: 60,
  dailyBudget: 5,
});

/**
 * The crisis ladder: a critical page at once, repeated every 15 minutes until acknowledged,
 * then the supervisor at the deadline.
 */
export const CRISIS_POLICY: EscalationPolicy = EscalationPolicySchema.parse({
  id: 'crisis',
  name: 'Crisis follow-up',
  steps: [
    { id: 'page', offsetMinutes: -365 * DAY_MINUTES, level: 'critical', critical: true, repeatEveryMinutes: 15, maxRepeats: 8, channels: ['in_app', 'webhook'] },
  ],
  digestWindowMinutes: 0,
  dailyBudget: 100,
});
