import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLoopbackGuard } from './loopback-guard';

const request = (headers: Record<string, string>, url = '/') =>
  ({ headers, url }) as unknown as IncomingMessage;

describe('createLoopbackGuard', () => {
  it('answers only at its own address and port, and refuses other origins', () => {
    const guard = createLoopbackGuard({
      host: '127.0.0.1',
      port: 4000,
      ownOriginPaths: new Set(['/device']),
    });
    expect(guard(request({ host: '127.0.0.1:4000' }))).toBeUndefined();
    expect(guard(request({ host: 'localhost:4000' }))).toBeUndefined();
    expect(guard(request({ host: 'evil.example:4000' }))).toBe('host');
    expect(guard(request({}))).toBe('host');
    expect(
      guard(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }, '/device')),
    ).toBeUndefined();
    expect(guard(request({ host: '127.0.0.1:4000', origin: 'http://127.0.0.1:4000' }, '/'))).toBe(
      'origin',
    );
    expect(
      guard(request({ host: '127.0.0.1:4000', origin: 'https://evil.example' }, '/device')),
    ).toBe('origin');
  });

  it('with TLS, also answers at its certificate name and takes https origins only', () => {
    const guard = createLoopbackGuard({
      host: '127.0.0.1',
      port: 4000,
      scheme: 'https',
      hostName: 'Sandbox.Airlock.Test',
      ownOriginPaths: new Set(['/device']),
    });
    expect(guard(request({ host: 'sandbox.airlock.test:4000' }))).toBeUndefined();
    const origin = (value: string) =>
      guard(request({ host: 'sandbox.airlock.test:4000', origin: value }, '/device'));
    expect(origin('https://sandbox.airlock.test:4000')).toBeUndefined();
    expect(origin('http://sandbox.airlock.test:4000')).toBe('origin');
  });
});
