// Unit tests for when a newer state from main ends the sign-in dialog of a login this window did
// not start: only when its profile turns ready, and never while this window's own call runs.
import { describe, expect, it } from 'vitest';
import { makeProfile, makeSourcesState } from '../../testing/sources';
import { approvedElsewhere } from './sign-in';

const signIn = {
  flow: 'device' as const,
  profile: 'dev',
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://device.sso.example/',
  verificationUriComplete: 'https://device.sso.example/?user_code=WDJB-MJHT',
  expiresAt: '2025-01-02T10:10:00.000Z',
};
const waiting = makeSourcesState([makeProfile('dev', { kind: 'sso', usesSso: true })]);
const ready = makeSourcesState([
  makeProfile('dev', { kind: 'sso', usesSso: true, status: { state: 'ok' } }),
]);

describe('approvedElsewhere', () => {
  it('is true when the signing-in profile turns ready', () => {
    expect(approvedElsewhere({ signIn, busy: new Set(), snapshot: waiting }, ready)).toBe(true);
  });

  it('is false while this window runs the login call itself (the call ends the dialog)', () => {
    expect(approvedElsewhere({ signIn, busy: new Set(['dev']), snapshot: waiting }, ready)).toBe(
      false,
    );
  });

  it('is false for a profile that was ready already, and without a sign-in', () => {
    expect(approvedElsewhere({ signIn, busy: new Set(), snapshot: ready }, ready)).toBe(false);
    expect(
      approvedElsewhere({ signIn: undefined, busy: new Set(), snapshot: waiting }, ready),
    ).toBe(false);
  });
});
