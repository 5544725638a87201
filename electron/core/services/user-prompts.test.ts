// The questions to the user: an MFA prompt settles with the code, on cancel, on timeout and on
// dispose, each exactly once; a sandbox sign-in is a no unless approved in time.
import { describe, expect, it } from 'vitest';
import type { EventChannelName } from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { SeededRandom } from '../base/random';
import { FakeClock } from '../testing/fake-clock';
import {
  MFA_PROMPT_TIMEOUT_MS,
  MfaBroker,
  SANDBOX_SIGN_IN_TIMEOUT_MS,
  SandboxSignInBroker,
  type UserPromptsOptions,
} from './user-prompts';

function setup(): {
  clock: FakeClock;
  events: { channel: EventChannelName; payload: Record<string, unknown> }[];
  options: UserPromptsOptions;
} {
  const clock = new FakeClock();
  const events: { channel: EventChannelName; payload: Record<string, unknown> }[] = [];
  return {
    clock,
    events,
    options: {
      clock,
      random: new SeededRandom(7),
      logger: silentLogger,
      emit: (channel, payload) => events.push({ channel, payload }),
    },
  };
}

function promptIdOf(events: { payload: Record<string, unknown> }[], index = 0): string {
  const promptId = events[index]?.payload['promptId'];
  if (typeof promptId !== 'string') throw new Error('no prompt was announced');
  return promptId;
}

describe('MfaBroker', () => {
  it('announces a prompt and resolves with the answered code', async () => {
    const { events, options } = setup();
    const broker = new MfaBroker(options);
    const code = broker.prompt({ profile: 'admin', mfaSerial: 'arn:aws:iam::1:mfa/me' });
    expect(events[0]).toMatchObject({
      channel: 'sources:mfa-requested',
      payload: { profile: 'admin', mfaSerial: 'arn:aws:iam::1:mfa/me' },
    });
    broker.answer(promptIdOf(events), '123456');
    await expect(code).resolves.toBe('123456');
    expect(events[1]).toEqual({
      channel: 'sources:mfa-settled',
      payload: { promptId: promptIdOf(events) },
    });
  });

  it('gives up after the timeout, and a late answer is refused', async () => {
    const { clock, events, options } = setup();
    const broker = new MfaBroker(options);
    const code = broker.prompt({ profile: 'admin', mfaSerial: 'serial' });
    clock.advance(MFA_PROMPT_TIMEOUT_MS);
    await expect(code).resolves.toBeUndefined();
    expect(() => broker.answer(promptIdOf(events), '123456')).toThrow(/already been answered/);
  });

  it('cancels every open prompt on dispose', async () => {
    const { events, options } = setup();
    const broker = new MfaBroker(options);
    const first = broker.prompt({ profile: 'a', mfaSerial: 'serial-a' });
    const second = broker.prompt({ profile: 'b', mfaSerial: 'serial-b' });
    broker.dispose();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(events.filter((e) => e.channel === 'sources:mfa-settled')).toHaveLength(2);
  });
});

describe('SandboxSignInBroker', () => {
  it('resolves with the approval and reports it settled', async () => {
    const { events, options } = setup();
    const broker = new SandboxSignInBroker(options);
    const approved = broker.ask({ userCode: 'ABCD-EFGH', clientName: 'airlock', flow: 'device' });
    broker.answer(promptIdOf(events), true);
    await expect(approved).resolves.toBe(true);
    expect(events[1]).toEqual({
      channel: 'sources:sandbox-sign-in-settled',
      payload: { promptId: promptIdOf(events), approved: true },
    });
  });

  it('is a no when nobody answers in time', async () => {
    const { clock, options } = setup();
    const broker = new SandboxSignInBroker(options);
    const approved = broker.ask({ userCode: 'ABCD-EFGH', clientName: 'airlock', flow: 'device' });
    clock.advance(SANDBOX_SIGN_IN_TIMEOUT_MS);
    await expect(approved).resolves.toBe(false);
  });

  it('lets the page decide an authorization-code sign-in: the app may only deny it', async () => {
    const { events, options } = setup();
    const broker = new SandboxSignInBroker(options);
    const decided = new AbortController();
    const answer = broker.ask({
      userCode: 'ABCD-EFGH',
      clientName: 'botocore-client',
      flow: 'authorization-code',
      decided: decided.signal,
    });
    expect(events[0]?.payload).toMatchObject({ flow: 'authorization-code' });
    const promptId = promptIdOf(events);
    expect(() => broker.answer(promptId, true)).toThrow(/only be denied/);
    decided.abort('approved');
    await expect(answer).resolves.toBe(true);
    expect(events[1]).toEqual({
      channel: 'sources:sandbox-sign-in-settled',
      payload: { promptId, approved: true },
    });
    expect(() => broker.answer(promptId, false)).toThrow(/already been answered/);
  });
});
