import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../base/logger';
import { CredentialsError } from '../credentials-error';
import { MFA_ATTEMPTS, withMfaCode, type MfaCodeRequest, type MfaPrompt } from './mfa';

const SERIAL = 'arn:aws:iam::111111111111:mfa/me';

function request(prompt: MfaPrompt | undefined, interactive = true): MfaCodeRequest {
  return { profile: 'dev', mfaSerial: SERIAL, prompt, interactive, logger: silentLogger };
}

const refused = () => new CredentialsError('mfa-invalid', 'dev', 'The code was not accepted.');

describe('withMfaCode', () => {
  it('asks again with the reason after a refused code, then succeeds', async () => {
    const reasons: (string | undefined)[] = [];
    const codes = ['111111', '222222'];
    const prompt: MfaPrompt = ({ retryReason }) => {
      reasons.push(retryReason);
      return Promise.resolve(codes.shift());
    };
    const result = await withMfaCode(request(prompt), (code) =>
      code === '222222' ? Promise.resolve('signed in') : Promise.reject(refused()),
    );
    expect(result).toBe('signed in');
    expect(reasons).toEqual([
      undefined,
      'The code was not accepted. Try again with the next code.',
    ]);
  });

  it(`gives up after ${MFA_ATTEMPTS} refused codes`, async () => {
    let asked = 0;
    const prompt: MfaPrompt = () => Promise.resolve(String(100000 + ++asked));
    await expect(
      withMfaCode(request(prompt), () => Promise.reject(refused())),
    ).rejects.toMatchObject({ code: 'mfa-invalid' });
    expect(asked).toBe(MFA_ATTEMPTS);
  });

  it('does not ask again after another failure', async () => {
    let asked = 0;
    const prompt: MfaPrompt = () => Promise.resolve(String(100000 + ++asked));
    const denied = new CredentialsError('assume-role-failed', 'dev', 'Denied.');
    await expect(withMfaCode(request(prompt), () => Promise.reject(denied))).rejects.toBe(denied);
    expect(asked).toBe(1);
  });

  it('refuses a code that is not 6 digits without trying it', async () => {
    let tried = false;
    const attempt = () => {
      tried = true;
      return Promise.resolve('signed in');
    };
    await expect(
      withMfaCode(
        request(() => Promise.resolve('12345')),
        attempt,
      ),
    ).rejects.toMatchObject({ code: 'mfa-invalid' });
    expect(tried).toBe(false);
  });

  it('fails with mfa-required when nobody may be asked or the prompt is cancelled', async () => {
    const attempt = () => Promise.resolve('signed in');
    const prompt: MfaPrompt = () => Promise.resolve('123456');
    await expect(withMfaCode(request(undefined), attempt)).rejects.toMatchObject({
      code: 'mfa-required',
    });
    await expect(withMfaCode(request(prompt, false), attempt)).rejects.toMatchObject({
      code: 'mfa-required',
    });
    await expect(
      withMfaCode(
        request(() => Promise.resolve(undefined)),
        attempt,
      ),
    ).rejects.toMatchObject({ code: 'mfa-required' });
  });
});
