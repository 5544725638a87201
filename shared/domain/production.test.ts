import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRODUCTION_RULE,
  ProductionRuleSchema,
  isProduction,
  parseRuleWords,
  productionReason,
} from './production';

const tagged = (key: string, value: string) => ({ tags: [{ key, value }] });

describe('the production rule', () => {
  it('marks Env, Environment or Stage equal to prod or production, in any case', () => {
    for (const key of ['Env', 'environment', 'STAGE']) {
      for (const value of ['prod', 'Production', 'PROD']) {
        expect(isProduction(tagged(key, value), DEFAULT_PRODUCTION_RULE)).toBe(true);
      }
    }
    expect(productionReason(tagged('Env', 'prod'), DEFAULT_PRODUCTION_RULE)).toBe('Env=prod');
  });

  it('compares whole values, so preprod, nonprod and production-like are not production', () => {
    for (const value of ['preprod', 'nonprod', 'production-like', 'prod2', 'dev', '']) {
      expect(isProduction(tagged('Env', value), DEFAULT_PRODUCTION_RULE)).toBe(false);
    }
  });

  it('ignores other tag keys', () => {
    expect(isProduction(tagged('Name', 'prod'), DEFAULT_PRODUCTION_RULE)).toBe(false);
    expect(isProduction(tagged('Envs', 'prod'), DEFAULT_PRODUCTION_RULE)).toBe(false);
  });

  it('marks every instance of a profile marked production, by its exact name', () => {
    const rule = { ...DEFAULT_PRODUCTION_RULE, profiles: ['payments'] };
    expect(productionReason({ tags: [], profile: 'payments' }, rule)).toBe('profile payments');
    expect(isProduction({ profile: 'payments-dev' }, rule)).toBe(false);
    expect(isProduction({}, rule)).toBe(false);
  });

  it('follows a rule the user changed', () => {
    const rule = { tagKeys: ['tier'], tagValues: ['live'], profiles: [] };
    expect(isProduction(tagged('Tier', 'LIVE'), rule)).toBe(true);
    expect(isProduction(tagged('Env', 'prod'), rule)).toBe(false);
  });

  it('reads comma-separated words without blanks or repeats, and bounds the rule', () => {
    expect(parseRuleWords(' Env, ,Stage,Env ')).toEqual(['Env', 'Stage']);
    expect(
      ProductionRuleSchema.safeParse({ ...DEFAULT_PRODUCTION_RULE, tagKeys: [' '] }).success,
    ).toBe(false);
  });
});
