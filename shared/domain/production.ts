// Which instances are production: a tag rule (a key from a list, a value from a list, both compared
// case-insensitively and as the whole value, so "preprod" is not "prod") or a profile the user
// marked as production. Pure, so the inventory, terminal tabs and forwards all mark the same ones.
import { z } from 'zod';

const RuleWordSchema = z.string().trim().min(1).max(128);

export const ProductionRuleSchema = z.object({
  /** Tag keys that name an environment, e.g. Env, Environment, Stage. */
  tagKeys: z.array(RuleWordSchema).max(20),
  /** Values of those tags that mean production, e.g. prod, production. */
  tagValues: z.array(RuleWordSchema).max(20),
  /** AWS profiles whose every instance is production. */
  profiles: z.array(RuleWordSchema).max(200),
});
export type ProductionRule = z.output<typeof ProductionRuleSchema>;

export const DEFAULT_PRODUCTION_RULE: ProductionRule = Object.freeze({
  tagKeys: ['Env', 'Environment', 'Stage'],
  tagValues: ['prod', 'production'],
  profiles: [],
});

/** What the rule looks at; an instance, or a tab or forward whose instance is not listed. */
export interface ProductionSubject {
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
  /** The AWS profile it was listed or started with. */
  readonly profile?: string | undefined;
}

function sameWord(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Why the subject is production ("Env=prod", "profile payments"), or undefined when it is not. */
export function productionReason(
  subject: ProductionSubject,
  rule: ProductionRule,
): string | undefined {
  for (const tag of subject.tags ?? []) {
    const keyMatches = rule.tagKeys.some((key) => sameWord(key, tag.key));
    if (keyMatches && rule.tagValues.some((value) => sameWord(value, tag.value))) {
      return `${tag.key}=${tag.value}`;
    }
  }
  const profile = subject.profile;
  if (profile !== undefined && rule.profiles.some((marked) => marked === profile)) {
    return `profile ${profile}`;
  }
  return undefined;
}

export function isProduction(subject: ProductionSubject, rule: ProductionRule): boolean {
  return productionReason(subject, rule) !== undefined;
}

/** Splits a comma-separated list typed in Settings into the rule's words. */
export function parseRuleWords(text: string): string[] {
  const words = text
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word.length > 0);
  return [...new Set(words)];
}
