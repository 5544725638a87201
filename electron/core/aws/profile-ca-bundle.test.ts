import { describe, expect, it } from 'vitest';
import { profileCaBundle } from './profile-ca-bundle';

const CONFIG = [
  '[default]',
  'ca_bundle = /etc/ssl/default-ca.pem',
  '[profile corp]',
  'region = eu-west-1',
  'ca_bundle =  /etc/ssl/corp-ca.pem ',
  '[profile plain]',
  'region = us-east-1',
].join('\n');

/** Serves CONFIG as ~/.aws/config and no credentials file. */
const readFile = (path: string): Promise<string | undefined> =>
  Promise.resolve(path.endsWith('config') ? CONFIG : undefined);

describe('profileCaBundle', () => {
  it("reads the named profile's ca_bundle, trimmed", async () => {
    expect(await profileCaBundle('corp', { HOME: '/home/u' }, { readFile })).toBe(
      '/etc/ssl/corp-ca.pem',
    );
  });

  it('is undefined for a profile without one, even when [default] has one', async () => {
    expect(await profileCaBundle('plain', { HOME: '/home/u' }, { readFile })).toBeUndefined();
  });

  it('falls back to AWS_PROFILE, then [default], when no profile is named', async () => {
    expect(await profileCaBundle('', { HOME: '/home/u', AWS_PROFILE: 'corp' }, { readFile })).toBe(
      '/etc/ssl/corp-ca.pem',
    );
    expect(await profileCaBundle('', { HOME: '/home/u' }, { readFile })).toBe(
      '/etc/ssl/default-ca.pem',
    );
  });

  it('is undefined when there are no config files', async () => {
    expect(
      await profileCaBundle(
        'corp',
        { HOME: '/home/u' },
        { readFile: () => Promise.resolve(undefined) },
      ),
    ).toBeUndefined();
  });
});
