// Browser-mode access control: origins, the one-time token, and sessions that lapse when idle.
import { describe, expect, it } from 'vitest';
import { BRIDGE_PROTOCOL, bridgeProtocolsFor } from '../../../shared/ipc';
import { createBrowserAuth, isLoopbackDevOrigin } from './auth';

describe('browser-mode origins', () => {
  it('allows only its own loopback origin by default', () => {
    const auth = createBrowserAuth({ port: 4100 });
    expect(auth.isAllowedOrigin('http://127.0.0.1:4100')).toBe(true);
    expect(auth.isAllowedOrigin('http://localhost:4100')).toBe(true);
    expect(auth.isAllowedOrigin('http://127.0.0.1:5173')).toBe(false);
    expect(auth.isAllowedOrigin(undefined)).toBe(false);
  });

  it('also allows the dev server origin it was given, and nothing else', () => {
    const auth = createBrowserAuth({ port: 4100, devOrigin: 'http://127.0.0.1:5173' });
    expect(auth.isAllowedOrigin('http://127.0.0.1:5173')).toBe(true);
    expect(auth.isAllowedOrigin('http://127.0.0.1:5174')).toBe(false);
    // The Host check stays this server's own: the dev proxy rewrites Host to the target.
    expect(auth.isAllowedHost('127.0.0.1:5173')).toBe(false);
  });

  it('refuses a dev origin that is not loopback http', () => {
    for (const origin of [
      'http://evil.example:5173',
      'https://127.0.0.1:5173',
      'http://127.0.0.1',
    ]) {
      expect(isLoopbackDevOrigin(origin)).toBe(false);
      expect(() => createBrowserAuth({ port: 4100, devOrigin: origin })).toThrow(/dev origin/);
    }
  });
});

describe('browser-mode sessions', () => {
  function setup() {
    let time = 1_000_000;
    const auth = createBrowserAuth({ port: 4100, now: () => time, sessionIdleMs: 1000 });
    return { auth, advance: (ms: number) => (time += ms) };
  }

  it('trades a token once for a session the handshake presents as a subprotocol', () => {
    const { auth } = setup();
    const token = auth.issueToken();
    const first = auth.exchange(token);
    expect(first.kind).toBe('accepted');
    expect(auth.exchange(token)).toEqual({ kind: 'refused', reason: 'token-spent' });
    expect(auth.exchange('wrong')).toEqual({ kind: 'refused', reason: 'wrong-token' });
    if (first.kind !== 'accepted') return;
    expect(auth.checkSession(bridgeProtocolsFor(first.session).join(', '))).toEqual({
      kind: 'valid',
      session: first.session,
    });
    expect(auth.checkSession(BRIDGE_PROTOCOL)).toEqual({ kind: 'missing' });
    expect(auth.checkSession(undefined)).toEqual({ kind: 'missing' });
    expect(auth.checkSession(bridgeProtocolsFor('forged').join(','))).toEqual({
      kind: 'signed-out',
    });
  });

  it('expires a session after inactivity; activity keeps it alive', () => {
    const { auth, advance } = setup();
    const outcome = auth.exchange(auth.issueToken());
    if (outcome.kind !== 'accepted') throw new Error('exchange refused');
    const { session } = outcome;
    advance(900);
    auth.touch(session);
    advance(900);
    expect(auth.isLive(session)).toBe(true);
    expect(auth.expireIdle()).toEqual([]);
    advance(100);
    expect(auth.isLive(session)).toBe(false);
    expect(auth.expireIdle()).toEqual([session]);
    expect(auth.checkSession(bridgeProtocolsFor(session).join(','))).toEqual({
      kind: 'signed-out',
    });
    // A lapsed session cannot be revived by touching it.
    auth.touch(session);
    expect(auth.isLive(session)).toBe(false);
  });
});
