// Property-based tests of the IPC router: random channel names, payloads and senders never make it
// throw, and a handler only ever sees a payload its channel's schema accepts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ErrorCodeSchema,
  ResultEnvelopeSchema,
  channels,
  isInvokeChannelName,
  type InvokeChannelName,
} from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { createRouter, type IpcRouter, type IpcSender } from './router';

const invokeChannels = Object.keys(channels).filter(isInvokeChannelName);

/** A router with a recording handler on every invoke channel. */
function routerWithEveryChannel(): {
  router: IpcRouter;
  calls: { channel: InvokeChannelName; request: unknown }[];
} {
  const router = createRouter({ logger: silentLogger });
  const calls: { channel: InvokeChannelName; request: unknown }[] = [];
  for (const channel of invokeChannels) {
    router.register(channel, (request) => {
      calls.push({ channel, request });
      // Whatever the reply schema says, the router must cope (it refuses invalid replies).
      return undefined as never;
    });
  }
  return { router, calls };
}

const channelArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...invokeChannels),
  fc.constantFrom(...Object.keys(channels)),
  fc.string({ maxLength: 80 }),
  fc.anything(),
);

/** Payloads near what channels expect (objects with known-looking keys) and anything at all. */
const payloadArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
  }),
  fc.dictionary(
    fc.constantFrom('id', 'ids', 'region', 'profile', 'theme', 'fontSize', 'name', 'text', 'cols'),
    fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string())),
  ),
  fc.constant(undefined),
  fc.constant({}),
);

const ui: IpcSender = { id: 'ui-1', description: 'app://airlock' };

describe('IpcRouter.dispatch (property-based)', () => {
  it('answers every request with a well-formed Result and hands handlers schema-valid payloads only', async () => {
    const { router, calls } = routerWithEveryChannel();
    await fc.assert(
      fc.asyncProperty(channelArbitrary, payloadArbitrary, async (channel, payload) => {
        calls.length = 0;
        const result = await router.dispatch({ channel, payload, sender: ui }, () => true);
        expect(ResultEnvelopeSchema.safeParse(result).success).toBe(true);
        if (!result.ok) expect(ErrorCodeSchema.safeParse(result.error.code).success).toBe(true);
        for (const call of calls) {
          expect(channel).toBe(call.channel);
          expect(channels[call.channel].request.safeParse(call.request).success).toBe(true);
        }
        if (!isInvokeChannelName(channel)) {
          expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
          expect(calls).toEqual([]);
        } else if (!channels[channel].request.safeParse(payload).success) {
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
          expect(calls).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses every request of an untrusted sender before any handler runs', async () => {
    const { router, calls } = routerWithEveryChannel();
    await fc.assert(
      fc.asyncProperty(
        channelArbitrary,
        payloadArbitrary,
        fc.record({ id: fc.string(), description: fc.string() }),
        async (channel, payload, sender) => {
          const result = await router.dispatch({ channel, payload, sender }, () => false);
          expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
        },
      ),
      { numRuns: 300 },
    );
    expect(calls).toEqual([]);
  });
});
