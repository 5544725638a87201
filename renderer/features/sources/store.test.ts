// Unit tests for the sources store: listing and live updates, selection and regions through
// sources:select, failures kept per profile, MFA prompts (answer, cancel, settled elsewhere) and
// the Identity Center sign-in that ends with its sources:login call.
import { describe, expect, it } from 'vitest';
import type { Region } from '../../../shared/domain';
import type { Result, SourcesState } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { makeProfile, makeSourcesState } from '../../testing/sources';
import { formatWhen } from '../../lib/words';
import { createSourcesStore, describeStatus, formatClock, parseRegion } from './store';

const work = makeProfile('work', { selected: true });
const dev = makeProfile('dev', { kind: 'sso', usesSso: true });

function setup(state: SourcesState = makeSourcesState([work, dev])) {
  const api = new FakeApi().reply('sources:list', { ok: true, value: state });
  const errors: string[] = [];
  const copied: string[] = [];
  const store = createSourcesStore({
    api,
    onError: (message) => errors.push(message),
    copyText: (text) => {
      copied.push(text);
      return Promise.resolve();
    },
  });
  const stop = store.getState().watch();
  return { api, store, errors, copied, stop };
}

function withProfile(name: string, patch: Parameters<typeof makeProfile>[1]): SourcesState {
  return makeSourcesState([
    name === 'work' ? makeProfile('work', { selected: true, ...patch }) : work,
    name === 'dev' ? makeProfile('dev', { kind: 'sso', usesSso: true, ...patch }) : dev,
  ]);
}

describe('listing', () => {
  it('lists the profiles, then follows sources:changed', async () => {
    const { api, store } = setup();
    expect(store.getState().load).toBe('idle');
    await store.getState().fetch();
    expect(store.getState().load).toBe('loaded');
    expect(store.getState().snapshot?.profiles.map((p) => p.name)).toEqual(['work', 'dev']);
    api.emit('sources:changed', withProfile('dev', { selected: true }));
    expect(store.getState().profile('dev')?.selected).toBe(true);
  });

  it('shows why listing failed', async () => {
    const { api, store } = setup();
    api.reply('sources:list', {
      ok: false,
      error: { code: 'unavailable', message: 'AWS profiles are not loaded yet.' },
    });
    await store.getState().fetch();
    expect(store.getState().load).toBe('failed');
    expect(store.getState().error?.message).toBe('AWS profiles are not loaded yet.');
  });

  it('reloads the files and keeps a failure to show', async () => {
    const { api, store } = setup();
    api.reply('sources:reload', {
      ok: true,
      value: makeSourcesState([work], { problems: ['config line 3: expected "key = value"'] }),
    });
    await store.getState().reload();
    expect(api.callsTo('sources:reload')).toEqual([{}]);
    expect(store.getState().snapshot?.problems).toEqual(['config line 3: expected "key = value"']);
    api.reply('sources:reload', { ok: false, error: { code: 'internal', message: 'boom' } });
    await store.getState().reload();
    expect(store.getState().error?.message).toBe('boom');
    expect(store.getState().reloading).toBe(false);
  });

  it('ignores a listing that answers after a newer state arrived', async () => {
    const { api, store } = setup();
    const slow = deferred<Result<SourcesState>>();
    api.reply('sources:list', () => slow.promise);
    const pending = store.getState().fetch();
    api.emit('sources:changed', withProfile('dev', { selected: true }));
    slow.resolve({ ok: true, value: makeSourcesState([work, dev]) });
    await pending;
    expect(store.getState().profile('dev')?.selected).toBe(true);
  });
});

describe('selection and regions', () => {
  it('selects a profile through sources:select and takes the state it answers', async () => {
    const { api, store } = setup();
    api.reply('sources:select', (request) => ({
      ok: true,
      value: withProfile(request.profile, { selected: request.selected }),
    }));
    await store.getState().fetch();
    const pending = store.getState().setSelected('dev', true);
    expect(store.getState().busy.has('dev')).toBe(true);
    expect(await pending).toBe(true);
    expect(api.callsTo('sources:select')).toEqual([{ profile: 'dev', selected: true }]);
    expect(store.getState().profile('dev')?.selected).toBe(true);
    expect(store.getState().busy.has('dev')).toBe(false);
  });

  it('sends the chosen regions and lists the profile with them', async () => {
    const { api, store } = setup();
    await store.getState().setRegions('dev', ['eu-west-1', 'us-east-1'] as Region[]);
    expect(api.callsTo('sources:select')).toEqual([
      { profile: 'dev', selected: true, regions: ['eu-west-1', 'us-east-1'] },
    ]);
  });

  it('keeps a failed call on the profile until the next call on it', async () => {
    const { api, store } = setup();
    api.reply('sources:select', {
      ok: false,
      error: { code: 'internal', message: 'Could not save the profile selection' },
    });
    expect(await store.getState().setSelected('work', false)).toBe(false);
    expect(store.getState().errors).toEqual({ work: 'Could not save the profile selection' });
    api.reply('sources:select', { ok: true, value: makeSourcesState([work, dev]) });
    await store.getState().setSelected('work', false);
    expect(store.getState().errors).toEqual({});
  });

  it('answers the region list or why it is missing, without throwing', async () => {
    const { api, store } = setup();
    api.reply('sources:regions', { ok: true, value: { regions: ['eu-west-1'] as Region[] } });
    expect(await store.getState().listRegions('work')).toEqual({
      ok: true,
      regions: ['eu-west-1'],
    });
    api.reply('sources:regions', {
      ok: false,
      error: { code: 'aws-error', message: 'not authorized to perform ec2:DescribeRegions' },
    });
    expect(await store.getState().listRegions('work')).toEqual({
      ok: false,
      message: 'not authorized to perform ec2:DescribeRegions',
    });
    expect(api.callsTo('sources:regions')).toEqual([{ profile: 'work' }, { profile: 'work' }]);
  });
});

describe('MFA prompts', () => {
  const prompt = { promptId: 'p1', profile: 'work', mfaSerial: 'arn:aws:iam::1:mfa/alice' };

  it('queues prompts once each and drops the one main says is settled', () => {
    const { api, store } = setup();
    api.emit('sources:mfa-requested', prompt);
    api.emit('sources:mfa-requested', prompt);
    api.emit('sources:mfa-requested', { ...prompt, promptId: 'p2', profile: 'admin' });
    expect(store.getState().mfaPrompts.map((p) => p.promptId)).toEqual(['p1', 'p2']);
    api.emit('sources:mfa-settled', { promptId: 'p1' });
    expect(store.getState().mfaPrompts.map((p) => p.promptId)).toEqual(['p2']);
  });

  it('sends the code, and sends no code to cancel', async () => {
    const { api, store } = setup();
    api.emit('sources:mfa-requested', prompt);
    expect(await store.getState().answerMfa('p1', '123456')).toBe(true);
    expect(store.getState().mfaPrompts).toEqual([]);
    api.emit('sources:mfa-requested', { ...prompt, promptId: 'p2' });
    await store.getState().answerMfa('p2');
    expect(api.callsTo('sources:mfa-answer')).toEqual([
      { promptId: 'p1', code: '123456' },
      { promptId: 'p2' },
    ]);
    expect(store.getState().mfaPrompts).toEqual([]);
  });

  it('keeps the prompt open with the reason when the answer is refused', async () => {
    const { api, store, errors } = setup();
    api.emit('sources:mfa-requested', prompt);
    api.reply('sources:mfa-answer', {
      ok: false,
      error: { code: 'unavailable', message: 'sources:mfa-answer: connection closed' },
    });
    expect(await store.getState().answerMfa('p1', '123456')).toBe(false);
    expect(store.getState().mfaPrompts).toHaveLength(1);
    expect(store.getState().mfaError).toBe('sources:mfa-answer: connection closed');
    // Cancelling still closes it, and the failure is told rather than lost.
    await store.getState().answerMfa('p1');
    expect(store.getState().mfaPrompts).toEqual([]);
    expect(errors).toEqual([
      'Could not cancel the MFA prompt: sources:mfa-answer: connection closed',
    ]);
  });

  it('stops following events once disposed', () => {
    const { api, store, stop } = setup();
    stop();
    api.emit('sources:mfa-requested', prompt);
    expect(store.getState().mfaPrompts).toEqual([]);
    expect(api.listenerCount('sources:changed')).toBe(0);
  });
});

describe('Identity Center login', () => {
  const started = {
    profile: 'dev',
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://device.sso.example/',
    verificationUriComplete: 'https://device.sso.example/?user_code=WDJB-MJHT',
    expiresAt: '2025-01-02T10:10:00.000Z',
  };

  it('shows the sign-in while the login call waits, and ends it when the call resolves', async () => {
    const { api, store } = setup();
    const answer = deferred<Result<SourcesState>>();
    api.reply('sources:login', () => answer.promise);
    const pending = store.getState().login('dev');
    api.emit('sources:login-started', started);
    expect(store.getState().signIn).toEqual({ flow: 'device', ...started });
    // A status update while waiting does not close it: this window's call is still out.
    api.emit('sources:changed', withProfile('dev', { status: { state: 'ok' } }));
    expect(store.getState().signIn).toEqual({ flow: 'device', ...started });
    answer.resolve({ ok: true, value: withProfile('dev', { status: { state: 'ok' } }) });
    expect(await pending).toBe(true);
    expect(store.getState().signIn).toBeUndefined();
    expect(api.callsTo('sources:login')).toEqual([{ profile: 'dev' }]);
  });

  it('ends the sign-in on failure and keeps the reason on the profile', async () => {
    const { api, store } = setup();
    const answer = deferred<Result<SourcesState>>();
    api.reply('sources:login', () => answer.promise);
    const pending = store.getState().login('dev');
    api.emit('sources:login-started', started);
    answer.resolve({
      ok: false,
      error: { code: 'credentials', message: 'The sign-in code expired before it was approved.' },
    });
    expect(await pending).toBe(false);
    expect(store.getState().signIn).toBeUndefined();
    expect(store.getState().errors['dev']).toBe('The sign-in code expired before it was approved.');
  });

  it('closes a sign-in started elsewhere once its profile turns ready', async () => {
    const { api, store } = setup();
    await store.getState().fetch();
    api.emit('sources:login-started', started);
    api.emit('sources:changed', withProfile('work', { status: { state: 'ok' } }));
    expect(store.getState().signIn).toEqual({ flow: 'device', ...started });
    api.emit('sources:changed', withProfile('dev', { status: { state: 'ok' } }));
    expect(store.getState().signIn).toBeUndefined();
  });
});

describe('browser sign-in', () => {
  const browserStarted = {
    profile: 'dev',
    session: 'corp',
    startUrl: 'https://corp.awsapps.com/start',
    signInUrl: 'https://oidc.eu-west-1.amazonaws.com/authorize?client_id=c&state=s',
    expiresAt: '2025-01-02T10:10:00.000Z',
  };
  const started = {
    profile: 'dev',
    userCode: 'WDJB-MJHT',
    verificationUri: 'https://device.sso.example/',
    expiresAt: '2025-01-02T10:10:00.000Z',
  };

  it('shows the browser sign-in, copies its page, and ends it when the call resolves', async () => {
    const { api, store, copied } = setup();
    const answer = deferred<Result<SourcesState>>();
    api.reply('sources:login', () => answer.promise);
    const pending = store.getState().login('dev');
    api.emit('sources:browser-login-started', browserStarted);
    expect(store.getState().signIn).toEqual({ flow: 'browser', ...browserStarted });
    expect(await store.getState().copySignInLink()).toBe(true);
    expect(copied).toEqual([browserStarted.signInUrl]);
    answer.resolve({ ok: true, value: withProfile('dev', { status: { state: 'ok' } }) });
    expect(await pending).toBe(true);
    expect(store.getState().signIn).toBeUndefined();
  });

  it('cancels through sources:login-cancel and reports nothing for the cancelled call', async () => {
    const { api, store } = setup();
    const answer = deferred<Result<SourcesState>>();
    api.reply('sources:login', () => answer.promise);
    api.reply('sources:login-cancel', () => {
      answer.resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
      return Promise.resolve({ ok: true, value: { cancelled: true } });
    });
    const pending = store.getState().login('dev');
    api.emit('sources:browser-login-started', browserStarted);
    await store.getState().cancelLogin('dev');
    expect(store.getState().signIn).toBeUndefined();
    expect(await pending).toBe(false);
    expect(api.callsTo('sources:login-cancel')).toEqual([{ profile: 'dev' }]);
    expect(store.getState().errors).toEqual({});
    expect(store.getState().busy.has('dev')).toBe(false);
  });

  it('switches to a code: the cancelled browser call does not close the device dialog', async () => {
    const { api, store } = setup();
    const browser = deferred<Result<SourcesState>>();
    const device = deferred<Result<SourcesState>>();
    api.reply('sources:login', (request) =>
      request.useDeviceCode === true ? device.promise : browser.promise,
    );
    const first = store.getState().login('dev');
    api.emit('sources:browser-login-started', browserStarted);
    const second = store.getState().useCodeInstead('dev');
    api.emit('sources:login-started', started);
    browser.resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    expect(await first).toBe(false);
    expect(store.getState().signIn).toEqual({ flow: 'device', ...started });
    device.resolve({ ok: true, value: withProfile('dev', { status: { state: 'ok' } }) });
    expect(await second).toBe(true);
    expect(store.getState().signIn).toBeUndefined();
    expect(api.callsTo('sources:login')).toEqual([
      { profile: 'dev' },
      { profile: 'dev', useDeviceCode: true },
    ]);
  });
});

describe('helpers', () => {
  it('describes a status the way the row shows it', () => {
    expect(describeStatus(makeProfile('a'))).toBe('Not checked yet');
    expect(describeStatus(makeProfile('a', { status: { state: 'ok' } }))).toBe('Ready');
    const expiresAt = new Date(2025, 0, 2, 9, 5).toISOString();
    // In the app's one date format (today: the time alone; another day: date and time).
    expect(describeStatus(makeProfile('a', { status: { state: 'ok', expiresAt } }))).toBe(
      `Ready until ${formatWhen(expiresAt)}`,
    );
    expect(
      describeStatus(
        makeProfile('a', {
          status: {
            state: 'error',
            problem: 'sso-login-required',
            message: 'Profile "a" needs an SSO login.',
            actionProfile: 'a',
          },
        }),
      ),
    ).toBe('Profile "a" needs an SSO login.');
    expect(formatClock('not a time')).toBeUndefined();
  });

  it('accepts region names only', () => {
    expect(parseRegion(' EU-West-1 ')).toBe('eu-west-1');
    expect(parseRegion('us-gov-west-1')).toBe('us-gov-west-1');
    expect(parseRegion('europe')).toBeUndefined();
    expect(parseRegion('')).toBeUndefined();
  });
});
