// An endpoint_url in [default] (a LocalStack-like sandbox) must not redirect another profile: the
// composed app, with two Local sandboxes that each count the API requests they get, lists, checks,
// reads regions and opens a shell with a profile whose own settings (a services section) name the
// second sandbox, and the first sandbox sees none of it.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryList, SourcesState } from '../../shared/ipc';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { ALICE, SANDBOX_TEST_FLEET } from './aws/multi-account.fixture';
import type { Logger } from './base/logger';
import { startAppOnConfiguredAws, type AppHarness } from './testing/app-harness';

/** The default profile's sandbox (named in [default] only) and the other profile's. */
let defaultSandbox: Sandbox;
let otherSandbox: Sandbox;
/** What reached each sandbox's front door: API calls and refused requests alike. */
const reached = { default: 0, other: 0 };
let dir: string;
let harness: AppHarness;

/** A sandbox logger that counts the requests it answers (API calls and refusals). */
function countingLogger(which: keyof typeof reached): Logger {
  const logger: Logger = {
    log(_level, message) {
      if (message === 'API call' || message === 'request refused') reached[which] += 1;
    },
    child: () => logger,
  };
  return logger;
}

beforeAll(async () => {
  [defaultSandbox, otherSandbox] = await Promise.all([
    startSandbox({ pacing: false, logger: countingLogger('default') }),
    startSandbox({ pacing: false, fleet: SANDBOX_TEST_FLEET, logger: countingLogger('other') }),
  ]);
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-endpoints-'));
  await mkdir(path.join(dir, '.aws'));
  const other = otherSandbox.endpoint;
  await writeFile(
    path.join(dir, '.aws', 'config'),
    `[default]
region = ${defaultSandbox.region}
endpoint_url = ${defaultSandbox.endpoint}

[profile other]
region = us-east-1
services = other-endpoints

[services other-endpoints]
ssm =
  endpoint_url = ${other}
ec2 =
  endpoint_url = ${other}
sts =
  endpoint_url = ${other}
kms =
  endpoint_url = ${other}
`,
  );
  await writeFile(
    path.join(dir, '.aws', 'credentials'),
    `[default]
aws_access_key_id = ${defaultSandbox.credentials.accessKeyId}
aws_secret_access_key = ${defaultSandbox.credentials.secretAccessKey}

[other]
aws_access_key_id = ${ALICE.id}
aws_secret_access_key = ${ALICE.secret}
`,
  );
  harness = await startAppOnConfiguredAws({
    userDataDir: path.join(dir, 'airlock-data'),
    // No AWS_PROFILE: the SDK's own lookup would read [default], where the other sandbox is not.
    env: { HOME: dir, SHELL: '/bin/sh' },
  });
});

afterAll(async () => {
  await harness?.dispose();
  await Promise.all([defaultSandbox?.close(), otherSandbox?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("an endpoint_url in [default] and another profile's calls", () => {
  it('the default profile uses it', async () => {
    const list = await harness.call<InventoryList>('inventory:list', {});
    expect(list.sources.map((s) => [s.profile, s.ok])).toEqual([['default', true]]);
    expect(list.instances.map((i) => i.name)).toContain('web-1');
    expect(reached.default).toBeGreaterThan(0);
  });

  it('sends none of the other profile’s calls there, the shell included', async () => {
    await harness.call('sources:select', { profile: 'other', selected: true });
    await harness.call('sources:select', { profile: 'default', selected: false });
    const before = { ...reached };

    const list = await harness.call<InventoryList>('inventory:list', {});
    expect(list.sources.map((s) => [s.profile, s.ok])).toEqual([['other', true]]);
    const names = list.instances.map((i) => i.name);
    expect(names).toContain('alpha-us-east-1-0');
    expect(names).not.toContain('web-1');
    const regions = await harness.call<{ regions: string[] }>('sources:regions', {
      profile: 'other',
    });
    expect(regions.regions).toContain('us-east-1');
    const checked = await harness.call<SourcesState>('sources:check', { profile: 'other' });
    expect(checked.profiles.find((p) => p.name === 'other')?.status.state).toBe('ok');

    const target = list.instances.find((i) => i.name === 'alpha-us-east-1-0');
    const { tabSessionId: id } = await harness.call<{ tabSessionId: string }>('sessions:start', {
      instanceId: target?.instanceId,
      cols: 80,
      rows: 24,
    });
    await harness.call('sessions:input', {
      id,
      data: new TextEncoder().encode('echo OTHER_$((6*7))\r'),
    });
    await harness.until(() => harness.output().includes('OTHER_42'));
    await harness.call('sessions:close', { id });

    expect(reached.other).toBeGreaterThan(before.other);
    expect(reached.default).toBe(before.default);
  });
});
