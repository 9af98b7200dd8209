import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_PACK_DATA, parseCoreConfig, parseRulePack, renderTemplate } from '@carerelay/core';

describe('rule packs', () => {
  it('accepts the default pack', () => {
    expect(parseRulePack(DEFAULT_RULE_PACK_DATA).ok).toBe(true);
  });

  it('names the path and the reason of every problem', () => {
    const broken = structuredClone(DEFAULT_RULE_PACK_DATA) as any;
    broken.ruleSets[0].rules[0].conditions[0].days = 0;
    broken.ruleSets[0].rules[1].role = '';
    broken.ruleSets[1].milestoneKind = 'lunch_break';
    broken.ruleSets[0].rules[2].template = 'participation in {sevice}';
    const result = parseRulePack(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_configuration');
    const paths = result.error.issues.map((i) => i.path);
    expect(paths).toContain('ruleSets.0.rules.0.conditions.0.days');
    expect(paths).toContain('ruleSets.0.rules.1.role');
    expect(paths).toContain('ruleSets.1.milestoneKind');
    expect(result.error.message).toMatch(/ruleSets\.0\.rules\.0\.conditions\.0\.days: .*>=1/);
  });

  it('rejects a summary with placeholders, since summaries travel through low-trust channels', () => {
    const pack = structuredClone(DEFAULT_RULE_PACK_DATA) as any;
    pack.ruleSets[0].rules[0].summary = 'Adherence to {medication}';
    const result = parseRulePack(pack);
    expect(!result.ok && result.error.issues[0]?.path).toBe('ruleSets.0.rules.0.summary');
  });

  it('rejects a later template placeholder it does not know, and duplicate rule ids', () => {
    const pack = structuredClone(DEFAULT_RULE_PACK_DATA) as any;
    pack.ruleSets[0].rules[2].template = 'participation in {sevice}';
    pack.ruleSets[0].rules[3].id = pack.ruleSets[0].rules[4].id;
    const result = parseRulePack(pack);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'ruleSets.0.rules.2.template: unknown placeholder {sevice}',
      'ruleSets.0.rules.4.id: duplicate rule id',
    ]);
  });

  it('fills placeholders from facts', () => {
    expect(renderTemplate('adherence since {medication} {fromDose}→{toDose}', { medication: 'sertraline', fromDose: '50 mg', toDose: '100 mg' })).toBe('adherence since sertraline 50 mg→100 mg');
  });

  it('rejects a configuration whose default policy does not exist, and a policy whose urgency decreases', () => {
    const missing = parseCoreConfig({ defaultPolicyId: 'nope' });
    expect(!missing.ok && missing.error.issues[0]?.path).toBe('defaultPolicyId');
    const decreasing = parseCoreConfig({
      policies: [{ id: 'default', steps: [{ id: 'a', offsetMinutes: -100, level: 'urgent' }, { id: 'b', offsetMinutes: -50, level: 'notice' }] }],
    });
    expect(!decreasing.ok && decreasing.error.issues[0]?.path).toBe('policies.0.steps.1.level');
  });
});
