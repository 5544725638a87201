// Self-checks of the IPC contract: names, kinds, and that no schema can carry a secret.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelNames, channels, eventChannelNames, invokeChannelNames } from './contract';
import { CHANNEL_NAME_PATTERN } from './preload-bridge';
import { collectSchemaKeys } from './schema-keys';

const FORBIDDEN_KEY =
  /token|secret|stream_?url|credential|password|passphrase|access_?key|private_?key|api_?key|signature|cookie/i;

describe('IPC contract', () => {
  it('declares each name once, as domain:verb in lower case', () => {
    expect(new Set(channelNames).size).toBe(channelNames.length);
    for (const name of channelNames) expect(name).toMatch(CHANNEL_NAME_PATTERN);
  });

  it('splits channels into invoke and event kinds with the schemas each kind needs', () => {
    expect(invokeChannelNames.length + eventChannelNames.length).toBe(channelNames.length);
    for (const name of invokeChannelNames) {
      const def = channels[name];
      expect(def.request).toBeInstanceOf(z.ZodType);
      expect(def.response).toBeInstanceOf(z.ZodType);
    }
    for (const name of eventChannelNames) expect(channels[name].payload).toBeInstanceOf(z.ZodType);
  });

  it('names events as nouns or past tense, never as verbs the renderer could call', () => {
    expect([...eventChannelNames].sort()).toEqual([
      'files:changed',
      'forwards:changed',
      'inventory:changed',
      'recordings:changed',
      'sessions:limits',
      'sessions:output',
      'sessions:status',
      'settings:changed',
      'sources:browser-login-started',
      'sources:changed',
      'sources:login-started',
      'sources:mfa-requested',
      'sources:mfa-settled',
      'sources:sandbox-sign-in-requested',
      'sources:sandbox-sign-in-settled',
      'sources:sso-changed',
    ]);
  });

  it('has no field whose name suggests a credential, token or StreamUrl', () => {
    const offenders: string[] = [];
    for (const name of channelNames) {
      const def = channels[name];
      const schemas = def.kind === 'invoke' ? [def.request, def.response] : [def.payload];
      for (const schema of schemas) {
        for (const key of collectSchemaKeys(schema)) {
          if (FORBIDDEN_KEY.test(key)) offenders.push(`${name}.${key}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('key walker sees nested, optional, array, union and record members (so the check above bites)', () => {
    const planted = z.object({
      outer: z
        .array(
          z.union([
            z.object({ fine: z.string() }),
            z.object({ deep: z.object({ tokenValue: z.string() }).optional() }),
          ]),
        )
        .optional(),
      map: z.record(z.string(), z.object({ StreamUrl: z.string() })),
    });
    const keys = collectSchemaKeys(planted);
    expect(keys).toEqual(expect.arrayContaining(['tokenValue', 'StreamUrl', 'fine']));
  });

  it('refuses unknown keys in requests, so nothing extra slips into a handler', () => {
    const parsed = channels['sessions:close'].request.safeParse({ id: 'abc', extra: 1 });
    expect(parsed.success).toBe(false);
  });

  it('strips unknown keys from responses, so a stray field never reaches the renderer', () => {
    const parsed = channels['sessions:status'].payload.parse({
      id: 'abc',
      status: 'open',
      tokenValue: 'leak',
    });
    expect(parsed).toEqual({ id: 'abc', status: 'open' });
  });
});
