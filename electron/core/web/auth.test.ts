import { describe, expect, it } from 'vitest';
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
