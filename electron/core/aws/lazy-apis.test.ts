import { beforeEach, describe, expect, it, vi } from 'vitest';
import { lazyKmsApi, lazyNodeProviderChain, lazySsmApi } from './lazy-apis';
import type { AwsClientOptions } from './client-config';

/** What the stand-in SDK-backed modules were asked to do, in order. */
const calls = vi.hoisted(() => ({ log: [] as string[] }));

vi.mock('./ssm-api', () => ({
  createSsmApi: (options: AwsClientOptions) => {
    calls.log.push(`create ssm ${options.region ?? ''}`);
    return {
      startSession: (input: { target: string }) => {
        calls.log.push(`start ${input.target}`);
        return Promise.resolve({ sessionId: 's-1', tokenValue: 't', streamUrl: 'wss://x' });
      },
      resumeSession: () => Promise.resolve({ tokenValue: '', streamUrl: '' }),
      terminateSession: (sessionId: string) => {
        calls.log.push(`terminate ${sessionId}`);
        return Promise.resolve();
      },
      describeSession: () => Promise.resolve({ status: 'Terminated', owner: 'me' }),
      destroy: () => calls.log.push('destroy ssm'),
    };
  },
}));

vi.mock('./kms-api', () => ({
  createKmsApi: () => {
    calls.log.push('create kms');
    return {
      generateDataKey: () => {
        calls.log.push('generate');
        return Promise.resolve({ plaintext: new Uint8Array(1), ciphertextBlob: new Uint8Array(2) });
      },
      destroy: () => calls.log.push('destroy kms'),
    };
  },
}));

vi.mock('@aws-sdk/credential-providers', () => ({
  fromNodeProviderChain: (init: { profile?: string }) => {
    calls.log.push(`chain ${init.profile ?? ''}`);
    return () => {
      calls.log.push('resolve');
      return Promise.resolve({ accessKeyId: 'AKID', secretAccessKey: 'secret' });
    };
  },
}));

/** Lets pending promise callbacks (a destroy waiting for its client) run. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

describe('AWS APIs created on their first call', () => {
  beforeEach(() => {
    calls.log = [];
  });

  it('creates the SSM client on the first call only, and reuses it', async () => {
    const ssm = lazySsmApi({ region: 'eu-west-1' });
    expect(calls.log).toEqual([]);
    await expect(ssm.startSession({ target: 'i-1' })).resolves.toMatchObject({ sessionId: 's-1' });
    await ssm.terminateSession('s-1');
    await expect(ssm.describeSession?.('s-1')).resolves.toEqual({
      status: 'Terminated',
      owner: 'me',
    });
    ssm.destroy();
    await settle();
    expect(calls.log).toEqual([
      'create ssm eu-west-1',
      'start i-1',
      'terminate s-1',
      'destroy ssm',
    ]);
  });

  it('never creates a client that was never called, not even to destroy it', async () => {
    lazySsmApi().destroy();
    lazyKmsApi().destroy();
    await settle();
    expect(calls.log).toEqual([]);
  });

  it('creates the KMS client only when a data key is asked for', async () => {
    const kms = lazyKmsApi();
    expect(calls.log).toEqual([]);
    const key = await kms.generateDataKey({ keyId: 'k', encryptionContext: {}, numberOfBytes: 64 });
    expect(key.ciphertextBlob).toHaveLength(2);
    kms.destroy();
    await settle();
    expect(calls.log).toEqual(['create kms', 'generate', 'destroy kms']);
  });

  it('frees a client destroyed while it was still being created', async () => {
    const kms = lazyKmsApi();
    const pending = kms.generateDataKey({ keyId: 'k', encryptionContext: {}, numberOfBytes: 64 });
    kms.destroy();
    await pending;
    await settle();
    expect(calls.log).toContain('destroy kms');
  });

  it('builds the default credential chain once, when credentials are first asked for', async () => {
    const provider = lazyNodeProviderChain({ profile: 'dev' });
    expect(calls.log).toEqual([]);
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'AKID' });
    await provider();
    expect(calls.log).toEqual(['chain dev', 'resolve', 'resolve']);
  });
});
