import * as rruleModule from 'rrule';

/**
 * rrule ships no `exports` map, so plain Node's ESM loader sees only a default export while bundlers and
 * vitest see named ones. Take the class from whichever shape arrived.
 */
type RRuleModule = typeof import('rrule');
const loaded = rruleModule as RRuleModule & { default?: RRuleModule };
/** The RRule class, resolved the same way under vitest, bundlers, CJS and plain Node ESM. */
export const RRule: RRuleModule['RRule'] = (loaded.default ?? loaded).RRule;
/** Options accepted by {@link RRule}. */
export type RRuleOptions = ConstructorParameters<RRuleModule['RRule']>[0];
