import { codingsOf, findCode } from '../code-match.js';
import type { ResourceMapping } from '../mapping-context.js';
import type { ParsedResource } from '../resource-schemas.js';
import type { MapperResult } from './mapper-result.js';
import { retractFact } from './retraction.js';

/**
 * ServiceRequest (a referral) → a `referral` fact with urgency from `priority` (routine, urgent; asap → urgent;
 * stat → emergency) and the service its code maps to. When `referrals.categories` is configured, only requests in
 * those categories are referrals. A revoked or entered-in-error referral is retracted (`fact.retracted`), which
 * cancels the first-contact milestone it scheduled. Drafts, proposals and on-hold requests are out of scope.
 */
export function mapServiceRequest(m: ResourceMapping, request: ParsedResource<'ServiceRequest'>): MapperResult {
  const { config } = m.ctx;
  if (request.status === 'draft' || request.status === 'on-hold' || request.status === 'unknown') return { notRelevant: `service request is ${request.status}` };
  if (request.intent === 'proposal' || request.intent === 'option') return { notRelevant: `service request intent is ${request.intent}` };
  if (config.referrals.categories.length > 0 && !findCode(config.referrals.categories, codingsOf(request.category, 'category'))) {
    return { notRelevant: 'service request category is not a configured referral category' };
  }
  const patientId = m.patientId(request.subject);
  if (patientId === undefined) return { missingPatient: 'subject' };
  const eventId = m.factId('referral');
  if (request.status === 'revoked' || request.status === 'entered-in-error') {
    retractFact(m, patientId, eventId, `referral ${request.status}`);
    return undefined;
  }
  const codings = codingsOf(request.code, 'code');
  const service = findCode(config.resolved.services, codings);
  if (!service && codings[0]) m.warn('unmapped_code', codings[0].path, 'service code has no CareRelay service', { system: codings[0].coding.system, value: codings[0].coding.code });
  if (!service && !codings[0]) m.warn('unmapped_code', 'code', 'referral has no coded service');
  const urgency = config.referrals.priorities[request.priority ?? 'routine'] ?? 'routine';
  const at = m.timeOf('referral', [request.authoredOn]);
  m.emit({
    id: eventId,
    type: 'fact.recorded',
    patientId,
    at,
    fact: { kind: 'referral', referralId: request.id, urgency, ...(service ? { service: service.row.service } : {}) },
  });
  return undefined;
}
