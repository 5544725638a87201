// Router tests: every refusal path (sender, channel, payload) and handler failures map to the right code.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/domain';
import { IpcFailure } from '../../../shared/ipc';
import { silentLogger } from '../base/logger';
import { createRouter, type IpcSender } from './router';

const ui: IpcSender = { id: 'ui-1', description: 'app://airlock' };
const stranger: IpcSender = { id: 'evil', description: 'https://evil.example' };
const trustUi = (sender: IpcSender) => sender.id.startsWith('ui-');

function routerWithSettings() {
  const router = createRouter({ logger: silentLogger });
  const calls: unknown[] = [];
  router.register('settings:set', (request, context) => {
    calls.push({ request, sender: context.sender.id });
    return {
      ...DEFAULT_SETTINGS,
      theme: request.theme ?? 'system',
      fontSize: request.fontSize ?? 14,
    };
  });
  return { router, calls };
}

describe('IpcRouter.dispatch', () => {
  it('runs the handler with the parsed request and wraps the reply', async () => {
    const { router, calls } = routerWithSettings();
    const result = await router.dispatch(
      { channel: 'settings:set', payload: { theme: 'dark' }, sender: ui },
      trustUi,
    );
    expect(result).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 14 },
    });
    expect(calls).toEqual([{ request: { theme: 'dark' }, sender: 'ui-1' }]);
  });

  it('refuses a foreign sender before looking at anything else', async () => {
    const { router, calls } = routerWithSettings();
    const result = await router.dispatch(
      { channel: 'settings:set', payload: { theme: 'dark' }, sender: stranger },
      trustUi,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(calls).toEqual([]);
  });

  it('treats a throwing sender predicate as untrusted', async () => {
    const { router } = routerWithSettings();
    const result = await router.dispatch(
      { channel: 'settings:set', payload: {}, sender: ui },
      () => {
        throw new Error('no frame');
      },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
  });

  it('refuses unknown channels, event channels and non-string names', async () => {
    const { router } = routerWithSettings();
    for (const channel of ['nope:do', 'sessions:output', 42, undefined, 'x'.repeat(10_000)]) {
      const result = await router.dispatch({ channel, payload: {}, sender: ui }, trustUi);
      expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
      if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
    }
  });

  it('refuses a known channel that has no handler as unknown-channel', async () => {
    const { router } = routerWithSettings();
    const result = await router.dispatch(
      { channel: 'settings:get', payload: {}, sender: ui },
      trustUi,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('refuses bad payloads with invalid-request and the failing path', async () => {
    const { router, calls } = routerWithSettings();
    const bad: unknown[] = [
      null,
      'dark',
      { theme: 'purple' },
      { fontSize: 1000 },
      { fontSize: 12.5 },
      { theme: 'dark', extra: true },
    ];
    for (const payload of bad) {
      const result = await router.dispatch(
        { channel: 'settings:set', payload, sender: ui },
        trustUi,
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    }
    const result = await router.dispatch(
      { channel: 'settings:set', payload: { fontSize: 1000 }, sender: ui },
      trustUi,
    );
    if (!result.ok) expect(result.error.message).toContain('fontSize');
    expect(calls).toEqual([]);
  });

  it('passes IpcFailure codes through and hides other errors as internal without a stack', async () => {
    const router = createRouter({ logger: silentLogger });
    router.register('sessions:close', (request) => {
      if (request.id === 'gone') throw new IpcFailure('not-found', 'no session gone');
      throw new Error('secret detail at /home/user/x.ts:12');
    });
    const notFound = await router.dispatch(
      { channel: 'sessions:close', payload: { id: 'gone' }, sender: ui },
      trustUi,
    );
    expect(notFound).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no session gone' },
    });
    const internal = await router.dispatch(
      { channel: 'sessions:close', payload: { id: 'other' }, sender: ui },
      trustUi,
    );
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!internal.ok) {
      expect(internal.error.message).not.toContain('secret');
      expect(internal.error.message).not.toContain('.ts');
    }
  });

  it('turns a reply its schema refuses into internal, and strips undeclared reply fields', async () => {
    const router = createRouter({ logger: silentLogger });
    let reply: unknown = { theme: 'nope', fontSize: 3 };
    router.register('settings:get', () => reply as never);
    const bad = await router.dispatch(
      { channel: 'settings:get', payload: {}, sender: ui },
      trustUi,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'internal' } });
    reply = { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12, sessionToken: 'x' };
    const good = await router.dispatch(
      { channel: 'settings:get', payload: {}, sender: ui },
      trustUi,
    );
    expect(good).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12 } });
  });

  it('allows one handler per channel and only invoke channels', () => {
    const { router } = routerWithSettings();
    expect(() =>
      router.register('settings:set', () => ({ ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12 })),
    ).toThrow(/already registered/);
    const registerAny = router.register as (c: string, h: () => unknown) => () => void;
    expect(() => registerAny('sessions:output', () => ({}))).toThrow(/not an invoke channel/);
  });

  it('unregisters with the returned disposer', async () => {
    const router = createRouter({ logger: silentLogger });
    const dispose = router.register('settings:get', () => ({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      fontSize: 12,
    }));
    expect(router.hasHandler('settings:get')).toBe(true);
    dispose();
    expect(router.hasHandler('settings:get')).toBe(false);
    const result = await router.dispatch(
      { channel: 'settings:get', payload: {}, sender: ui },
      trustUi,
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });
});

describe('IpcRouter events', () => {
  it('reaches no subscriber once disposed', () => {
    const router = createRouter({ logger: silentLogger });
    const seen: string[] = [];
    router.subscribe((channel) => seen.push(channel));
    router.onSenderGone((id) => seen.push(`gone:${id}`));
    router.emit('sessions:status', { id: 's1', status: 'open' });
    router.senderGone('ui-1');
    router.dispose();
    router.emit('sessions:status', { id: 's1', status: 'closed' });
    router.senderGone('ui-2');
    expect(seen).toEqual(['sessions:status', 'gone:ui-1']);
  });

  it('validates, strips and fans out events with their target', () => {
    const router = createRouter({ logger: silentLogger });
    const seen: unknown[] = [];
    const dispose = router.subscribe((channel, payload, target) =>
      seen.push({ channel, payload, target }),
    );
    router.emit('sessions:status', { id: 's1', status: 'open' }, 'ui-1');
    router.emit('sessions:status', { id: 's1', status: 'bogus' } as never);
    router.emit('settings:changed', {
      settings: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12, x: 1 } as never,
    });
    dispose();
    router.emit('sessions:status', { id: 's1', status: 'closed' });
    expect(seen).toEqual([
      { channel: 'sessions:status', payload: { id: 's1', status: 'open' }, target: 'ui-1' },
      {
        channel: 'settings:changed',
        payload: { settings: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 12 } },
        target: undefined,
      },
    ]);
  });

  it('keeps delivering when one subscriber throws', () => {
    const router = createRouter({ logger: silentLogger });
    const seen: string[] = [];
    router.subscribe(() => {
      throw new Error('broken adapter');
    });
    router.subscribe((channel) => seen.push(channel));
    router.emit('sessions:status', { id: 's1', status: 'open' });
    expect(seen).toEqual(['sessions:status']);
  });

  it('tells services when a sender goes away', () => {
    const router = createRouter({ logger: silentLogger });
    const gone: string[] = [];
    const dispose = router.onSenderGone((id) => gone.push(id));
    router.senderGone('ui-1');
    dispose();
    router.senderGone('ui-2');
    expect(gone).toEqual(['ui-1']);
  });
});
