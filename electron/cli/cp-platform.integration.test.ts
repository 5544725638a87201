// The platform `airlock cp` picks its scripts by, from the Local sandbox's fleet.

import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { instancePlatform } from './cp-platform';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

describe('instancePlatform', () => {
  let sandbox: Sandbox;
  let ssm: SSMClient;
  /** The sandbox's Windows instance lives in eu-west-1. */
  let ssmEu: SSMClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ pacing: false });
    const client = (region: string): SSMClient =>
      new SSMClient({ region, endpoint: sandbox.endpoint, credentials: sandbox.credentials });
    ssm = client(sandbox.region);
    ssmEu = client('eu-west-1');
  });

  afterAll(async () => {
    ssm.destroy();
    ssmEu.destroy();
    await sandbox.close();
  });

  it('is windows for PlatformType Windows and posix for Linux', async () => {
    expect(await instancePlatform(ssmEu, DEFAULT_INSTANCES.windows)).toBe('windows');
    expect(await instancePlatform(ssm, DEFAULT_INSTANCES.web)).toBe('posix');
  });

  it('takes an instance SSM does not list for Linux', async () => {
    expect(await instancePlatform(ssm, 'i-00000000000000000')).toBe('posix');
  });
});
