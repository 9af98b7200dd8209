import {
  type CoreConfig,
  type Issue,
  type CoreConfigInput,
  type EscalationPolicyInput,
  type RulePackInput,
  CareRelayError,
  TenantIdSchema,
  createCoreConfig,
  describeIssues,
  issuesFromZod,
  policyFor,
} from '@carerelay/core';
import type { Channel } from './channel.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { CareRelayStorage } from './storage/contract.js';

/** Options of `createCoordinator()`. Every one is optional: with none it runs on memory with the in-app inbox. */
export interface CoordinatorOptions {
  /** Where events, cases, the schedule and the outbox live (default: `createMemoryStorage()`). */
  storage?: CareRelayStorage;
  /** Delivery channels (default: the in-app inbox on `storage`). The first is the fallback when none of a message's channels is configured. */
  channels?: readonly Channel[];
  /** Time source (default: the system clock; use `createManualClock()` in tests). */
  clock?: Clock;
  /** Rule packs (default: the core's default pack). */
  rulePacks?: readonly RulePackInput[];
  /** Escalation policies; replace the defaults (keep `DEFAULT_POLICY` and `CRISIS_POLICY` in the list to extend them). */
  policies?: readonly EscalationPolicyInput[];
  /** Other core settings (routing fallbacks, guidance horizon, default policy id). */
  coreConfig?: Omit<CoreConfigInput, 'rulePacks' | 'policies'>;
  /** The tenant this coordinator serves (default `default`). Events of other tenants are quarantined. */
  tenantId?: string;
  /** Structured, PHI-free logs (default: silent). */
  logger?: Logger;
  /** This worker's id for leases (default: host, pid and a random suffix). */
  workerId?: string;
  /** Base URL of the vendor's product, for deep links in messages. */
  deepLinkBase?: string;
  /** Lease on a claimed case while it is re-planned (default 30 s): a crashed worker's cases return after it. */
  caseLeaseMs?: number;
  /** Lease on claimed outbox entries while they are sent (default 30 s). */
  outboxLeaseMs?: number;
  /** Cases claimed per round of a tick (default 100). */
  caseBatchSize?: number;
  /** Outbox entries claimed per round of a tick (default 100). */
  outboxBatchSize?: number;
  /** Digest window in minutes (default: the default policy's `digestWindowMinutes`); 0 sends each notification alone. */
  digestWindowMinutes?: number;
  /** Non-critical messages per recipient per local day (default: the default policy's `dailyBudget`). */
  dailyBudget?: number;
  /** First retry delay after a retryable failure, doubled per attempt (default 1 s). */
  retryBaseMs?: number;
  /** Longest retry delay (default 1 h). */
  retryMaxMs?: number;
  /** The scheduler polls at least this often for work other processes queued (default 1 s). */
  pollIntervalMs?: number;
  /** `health()` reports a problem when a wake-up or a due message is older than this (default 60 s). */
  healthThresholdMs?: number;
}

/** Integer settings: [option, default, min, max]. `undefined` defaults are filled in from the default policy. */
const INTEGER_SETTINGS = [
  ['caseLeaseMs', 30_000, 1, 86_400_000],
  ['outboxLeaseMs', 30_000, 1, 86_400_000],
  ['caseBatchSize', 100, 1, 10_000],
  ['outboxBatchSize', 100, 1, 10_000],
  ['digestWindowMinutes', undefined, 0, 24 * 60],
  ['dailyBudget', undefined, 1, 1000],
  ['retryBaseMs', 1000, 1, 86_400_000],
  ['retryMaxMs', 3_600_000, 1, 7 * 86_400_000],
  ['pollIntervalMs', 1000, 1, 3_600_000],
  ['healthThresholdMs', 60_000, 0, 7 * 86_400_000],
] as const;

type IntegerSetting = (typeof INTEGER_SETTINGS)[number][0];

/** Validated settings of a coordinator. */
export type CoordinatorSettings = Record<IntegerSetting, number> & {
  tenantId: string;
  workerId: string | undefined;
  deepLinkBase: string | undefined;
};

/** Validates the options' settings and builds the core configuration; throws `invalid_configuration` naming the field. */
export function resolveSettings(options: CoordinatorOptions): { settings: CoordinatorSettings; config: CoreConfig } {
  const issues: Issue[] = [];
  const tenant = TenantIdSchema.safeParse(options.tenantId ?? 'default');
  if (!tenant.success) issues.push(...issuesFromZod(tenant.error).map((i) => ({ ...i, path: 'tenantId' })));
  if (options.workerId !== undefined && (typeof options.workerId !== 'string' || options.workerId.length === 0 || options.workerId.length > 200)) {
    issues.push({ path: 'workerId', message: 'must be a string of 1 to 200 characters' });
  }
  if (options.deepLinkBase !== undefined && (typeof options.deepLinkBase !== 'string' || options.deepLinkBase.length > 500)) {
    issues.push({ path: 'deepLinkBase', message: 'must be a URL of at most 500 characters' });
  }
  const numbers: Partial<Record<IntegerSetting, number>> = {};
  for (const [key, fallback, min, max] of INTEGER_SETTINGS) {
    const value = options[key] ?? fallback;
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < min || value > max) issues.push({ path: key, message: `must be an integer from ${min} to ${max}` });
    else numbers[key] = value;
  }
  if (issues.length > 0) throw new CareRelayError('invalid_configuration', `invalid coordinator options: ${describeIssues(issues)}`, { issues });
  const config = createCoreConfig({
    ...options.coreConfig,
    ...(options.rulePacks === undefined ? {} : { rulePacks: [...options.rulePacks] }),
    ...(options.policies === undefined ? {} : { policies: [...options.policies] }),
  });
  const defaults = policyFor(config, undefined);
  return {
    config,
    settings: {
      ...(numbers as Record<IntegerSetting, number>),
      digestWindowMinutes: numbers.digestWindowMinutes ?? defaults.digestWindowMinutes,
      dailyBudget: numbers.dailyBudget ?? defaults.dailyBudget,
      tenantId: options.tenantId ?? 'default',
      workerId: options.workerId,
      deepLinkBase: options.deepLinkBase,
    },
  };
}
