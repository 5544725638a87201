import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { CredentialCache } from './credential-cache';

const WINDOW_MS = 5 * 60_000;

function keys(id: string, expiration?: Date): AwsCredentialIdentity {
  return { accessKeyId: id, secretAccessKey: 'secret', ...(expiration && { expiration }) };
}

describe('CredentialCache', () => {
  it('serves credentials until they come within the refresh window of expiry', async () => {
    const clock = new FakeClock();
    const cache = new CredentialCache(clock, WINDOW_MS);
    let fetches = 0;
    const fetch = () => {
      fetches++;
      return Promise.resolve(keys(`K${fetches}`, new Date(clock.now() + 10 * 60_000)));
    };
    expect((await cache.get('p', fetch)).accessKeyId).toBe('K1');
    clock.advance(4 * 60_000);
    expect((await cache.get('p', fetch)).accessKeyId).toBe('K1');
    clock.advance(60_000);
    expect((await cache.get('p', fetch)).accessKeyId).toBe('K2');
  });

  it('keeps credentials without an expiry until forgotten', async () => {
    const cache = new CredentialCache(new FakeClock(), WINDOW_MS);
    let fetches = 0;
    const fetch = () => Promise.resolve(keys(`K${++fetches}`));
    await cache.get('a', fetch);
    await cache.get('b', fetch);
    expect((await cache.get('a', fetch)).accessKeyId).toBe('K1');
    cache.forget('a');
    expect((await cache.get('a', fetch)).accessKeyId).toBe('K3');
    expect((await cache.get('b', fetch)).accessKeyId).toBe('K2');
    cache.forget();
    expect((await cache.get('b', fetch)).accessKeyId).toBe('K4');
  });

  it('shares one running fetch between concurrent callers of a profile', async () => {
    const cache = new CredentialCache(new FakeClock(), WINDOW_MS);
    let fetches = 0;
    let finish: (value: AwsCredentialIdentity) => void = () => undefined;
    const fetch = () => {
      fetches++;
      return new Promise<AwsCredentialIdentity>((resolve) => (finish = resolve));
    };
    const first = cache.get('p', fetch);
    const second = cache.get('p', fetch);
    finish(keys('K'));
    expect(await Promise.all([first, second])).toEqual([keys('K'), keys('K')]);
    expect(fetches).toBe(1);
  });

  it('does not keep a failure: the next call fetches again', async () => {
    const cache = new CredentialCache(new FakeClock(), WINDOW_MS);
    await expect(cache.get('p', () => Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
    expect((await cache.get('p', () => Promise.resolve(keys('K')))).accessKeyId).toBe('K');
  });
});
