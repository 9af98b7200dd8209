import { z } from 'zod';
import { CRISIS_POLICY, DEFAULT_POLICY, type EscalationPolicy, EscalationPolicySchema } from './escalation/policy.js';
import { IdSchema, RoleSchema } from './model/primitives.js';
import { DEFAULT_RULE_PACK } from './rules/default-pack.js';
import { RulePackSchema } from './rules/rule-pack.js';
import { type Result, parseWith } from './errors.js';

/** Configuration of the pure core: rule packs, escalation policies and routing fallbacks. */
export const CoreConfigSchema = z
  .object({
    rulePacks: z.array(RulePackSchema).default([DEFAULT_RULE_PACK]),
    policies: z.array(EscalationPolicySchema).default([DEFAULT_POLICY, CRISIS_POLICY]),
    /** Policy used by milestones that name none. */
    defaultPolicyId: IdSchema.default('default'),
    /** Roles routed to whoever is on call rather than to the care team. */
    onCallRoles: z.array(RoleSchema).default(['crisis_clinician']),
    /** Roles that coordinate: unfilled roles go to the first of these on the team. */
    coordinatorRoles: z.array(RoleSchema).default(['ur_coordinator', 'supervisor']),
    /** Last-resort owner for work nobody on the team can take. */
    fallbackCoordinatorId: IdSchema.optional(),
    /** How far ahead guidance looks for deadlines, in days. */
    guidanceHorizonDays: z.number().int().min(1).max(365).default(30),
  })
  .superRefine((config, ctx) => {
    const ids = new Set(config.policies.map((p) => p.id));
    if (!ids.has(config.defaultPolicyId)) ctx.addIssue({ code: 'custom', path: ['defaultPolicyId'], message: 'no policy has this id' });
  });
/** Validated core configuration. */
export type CoreConfig = z.infer<typeof CoreConfigSchema>;
/** Input form of {@link CoreConfig}: every field optional. */
export type CoreConfigInput = z.input<typeof CoreConfigSchema>;

/** Validates a configuration; the error names each bad field. */
export function parseCoreConfig(input: CoreConfigInput = {}): Result<CoreConfig> {
  return parseWith(CoreConfigSchema, input, 'configuration', 'invalid_configuration');
}

/** Validates a configuration and throws a `CareRelayError` (code `invalid_configuration`) naming each bad field. */
export function createCoreConfig(input: CoreConfigInput = {}): CoreConfig {
  const parsed = parseCoreConfig(input);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** The policy with this id, or the default policy. */
export function policyFor(config: CoreConfig, policyId: string | undefined): EscalationPolicy {
  const wanted = policyId ?? config.defaultPolicyId;
  return config.policies.find((p) => p.id === wanted) ?? config.policies.find((p) => p.id === config.defaultPolicyId)!;
}

