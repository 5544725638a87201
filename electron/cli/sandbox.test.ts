import { EventEmitter } from 'node:events';
import { SSMClient, DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../core/base/logger';
import { attemptSsoSteal, submitApprovalCode } from '../emulator/identity-center.fixture';
import type { Sandbox } from '../emulator/sandbox';
import { parseFaults, parseSandboxArgs, runSandboxCommand, SandboxUsageError } from './sandbox';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function capture() {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      logger: silentLogger,
    },
    out: () => out,
    err: () => err,
  };
}

describe('parseSandboxArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseSandboxArgs([
        '--port',
        '4566',
        '--instances=10000',
        '--kms',
        'alias/k',
        '--no-pacing',
        '--faults',
        'drop=0.05,dup=0.05,reorder=0.05,seed=1',
      ]),
    ).toEqual({
      help: false,
      verbose: false,
      options: {
        port: 4566,
        instances: 10_000,
        kmsKeyId: 'alias/k',
        pacing: false,
        faults: { drop: 0.05, duplicate: 0.05, reorder: 0.05, seed: 1 },
      },
    });
    expect(parseSandboxArgs(['--fleet', 'fleet.json', '--verbose']).options).toEqual({
      fleet: 'fleet.json',
    });
    expect(parseSandboxArgs(['--ssh', '--ssh-key-lifetime=5']).options).toEqual({
      sshd: true,
      sshKeyLifetimeMs: 5000,
    });
    expect(() => parseSandboxArgs(['--ssh-key-lifetime', '0'])).toThrow(SandboxUsageError);
    expect(parseSandboxArgs(['--sso-auto-approve']).options).toEqual({
      ssoApproval: { kind: 'auto' },
    });
  });

  it('refuses bad flags with clear messages', () => {
    const message = (args: string[]) => {
      try {
        parseSandboxArgs(args);
      } catch (error) {
        if (error instanceof SandboxUsageError) return error.message;
        throw error;
      }
      return 'parsed';
    };
    expect(message(['--port', 'http'])).toBe("--port needs a whole number, got 'http'");
    expect(message(['--port', '70000'])).toBe('--port must be between 0 and 65535, got 70000');
    expect(message(['--port'])).toBe('--port needs a value');
    expect(message(['--instances', '0'])).toBe('--instances must be between 1 and 1000000, got 0');
    expect(message(['--fleet', 'a.json', '--instances', '5'])).toBe(
      'use either --fleet or --instances, not both',
    );
    expect(message(['--bogus'])).toBe("unknown option '--bogus'");
    expect(message(['--no-pacing=yes'])).toBe('--no-pacing takes no value');
    expect(message(['--faults', 'drop=2'])).toBe(
      "--faults drop must be a probability from 0 to 1, got '2'",
    );
    expect(message(['--faults', 'loss=0.1'])).toMatch(/^unknown --faults entry 'loss'/);
  });
});

describe('parseFaults', () => {
  it('reads delay ranges and socket cuts', () => {
    expect(parseFaults('delay=5-20,cut=100')).toEqual({ delayMs: [5, 20], cutAfter: 100 });
    expect(parseFaults('delay=7')).toEqual({ delayMs: 7 });
    expect(() => parseFaults('delay=20-5')).toThrow(/reversed/);
    expect(() => parseFaults('drop')).toThrow(/needs a value/);
  });
});

describe('runSandboxCommand', () => {
  it('prints the JSON line first, then instructions, and stops cleanly on abort', async () => {
    const { io, out, err } = capture();
    const stop = new AbortController();
    let onStarted: (sandbox: Sandbox) => void = () => undefined;
    const started = new Promise<Sandbox>((resolve) => (onStarted = resolve));
    const run = runSandboxCommand(['--no-pacing'], { ...io, stop: stop.signal, onStarted });
    await started;
    const [first, ...rest] = out().split('\n');
    const summary = JSON.parse(first!) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual([
      'endpoint',
      'region',
      'regions',
      'accessKeyId',
      'secretAccessKey',
      'instances',
      'ssoApprovalCode',
    ]);
    expect(summary).toMatchObject({
      region: 'us-east-1',
      regions: ['eu-west-1', 'us-east-1'],
      instances: 8,
    });
    const text = rest.join('\n');
    expect(text).toContain(`export AWS_ACCESS_KEY_ID=${String(summary.accessKeyId)}`);
    expect(text).toContain(`export AWS_ENDPOINT_URL=${String(summary.endpoint)}`);
    expect(text).toContain('export AWS_REGION=us-east-1');
    expect(text).toContain('127.0.0.1 only');

    // The printed keys work.
    const ssm = new SSMClient({
      endpoint: String(summary.endpoint),
      region: 'us-east-1',
      credentials: {
        accessKeyId: String(summary.accessKeyId),
        secretAccessKey: String(summary.secretAccessKey),
      },
      maxAttempts: 1,
    });
    const info = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(info.InstanceInformationList?.length).toBe(4);
    ssm.destroy();

    stop.abort();
    await expect(run).resolves.toBe(0);
    expect(err()).toContain('stopped');
  });

  it('lets an Identity Center login through only with the approval code it printed', async () => {
    const { io, out } = capture();
    const stop = new AbortController();
    let onStarted: (sandbox: Sandbox) => void = () => undefined;
    const started = new Promise<Sandbox>((resolve) => (onStarted = resolve));
    const run = runSandboxCommand(['--no-pacing'], { ...io, stop: stop.signal, onStarted });
    const { endpoint } = await started;
    const printed = /enter the approval code ([A-Z]{4}-[A-Z]{4}) on the sign-in page/.exec(out());
    const approvalCode = printed?.[1] ?? '';
    expect(approvalCode).not.toBe('');

    // Register, start, poll twice, list accounts, get role credentials: stopped at the token.
    const unapproved = await attemptSsoSteal(endpoint);
    expect(unapproved.accessKeyId).toBeUndefined();
    expect(unapproved.steps.at(-1)).toMatchObject({
      step: 'token',
      error: 'authorization_pending',
    });

    const approved = await attemptSsoSteal(endpoint, {
      afterStart: async (userCode) => {
        await submitApprovalCode(endpoint, userCode, approvalCode);
      },
    });
    expect(approved.accessKeyId).toMatch(/^ASIA/);
    stop.abort();
    await expect(run).resolves.toBe(0);
  });

  it('approves every login at once with --sso-auto-approve and says so', async () => {
    const { io, out } = capture();
    const stop = new AbortController();
    let onStarted: (sandbox: Sandbox) => void = () => undefined;
    const started = new Promise<Sandbox>((resolve) => (onStarted = resolve));
    const run = runSandboxCommand(['--no-pacing', '--sso-auto-approve'], {
      ...io,
      stop: stop.signal,
      onStarted,
    });
    const { endpoint } = await started;
    expect(out()).toContain('approved without asking (--sso-auto-approve)');
    expect((await attemptSsoSteal(endpoint)).accessKeyId).toMatch(/^ASIA/);
    stop.abort();
    await expect(run).resolves.toBe(0);
  });

  it('stops on SIGTERM from the signal source', async () => {
    const { io } = capture();
    const signals = new EventEmitter();
    let onStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (onStarted = resolve));
    const run = runSandboxCommand(['--instances', '50'], {
      ...io,
      signals,
      onStarted,
    });
    await started;
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    signals.emit('SIGTERM');
    await expect(run).resolves.toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('exits 2 with a message for bad flags and 1 when the sandbox cannot start', async () => {
    const bad = capture();
    await expect(runSandboxCommand(['--port', 'x'], bad.io)).resolves.toBe(2);
    expect(bad.err()).toMatch(/^airlock sandbox: --port needs a whole number/);
    expect(bad.err()).toContain('Usage: airlock sandbox');
    expect(bad.out()).toBe('');
    const missing = capture();
    await expect(
      runSandboxCommand(['--fleet', 'no-such-dir/fleet.json'], missing.io),
    ).resolves.toBe(1);
    expect(missing.err()).toMatch(/cannot read fleet file/);
    const help = capture();
    await expect(runSandboxCommand(['--help'], help.io)).resolves.toBe(0);
    expect(help.out()).toContain('--faults SPEC');
  });
});
