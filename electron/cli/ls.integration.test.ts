// `airlock ls` through runCli against the Local sandbox, with a temporary HOME holding two profiles.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../core/base/logger';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import { runCli, type CliIo } from './main';

const ALICE = { id: 'AKIAALICE00000000002', secret: 'alice-secret-1111111111111111111111111' };
const BOB = { id: 'AKIABOB0000000000002', secret: 'bob-secret-11111111111111111111111111111' };

const FLEET = {
  defaultRegion: 'us-east-1',
  accounts: [
    {
      accountId: '111111111111',
      users: [{ userName: 'alice', accessKeyId: ALICE.id, secretAccessKey: ALICE.secret }],
    },
    {
      accountId: '222222222222',
      users: [
        {
          userName: 'bob',
          accessKeyId: BOB.id,
          secretAccessKey: BOB.secret,
          deniedRegions: ['eu-west-1'],
        },
      ],
    },
  ],
  instances: [
    {
      instanceId: 'i-0a000000000000001',
      name: 'web-1',
      tags: { Env: 'prod' },
      account: '111111111111',
      region: 'us-east-1',
    },
    {
      instanceId: 'i-0a000000000000002',
      name: 'db-1',
      tags: { Env: 'dev' },
      account: '111111111111',
      region: 'us-east-1',
      platform: 'Windows' as const,
    },
    {
      instanceId: 'i-0b000000000000001',
      name: 'web-2',
      tags: { Env: 'prod' },
      account: '222222222222',
      region: 'us-east-1',
    },
    {
      instanceId: 'i-0b000000000000002',
      name: 'web-3',
      account: '222222222222',
      region: 'eu-west-1',
    },
  ],
};

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('airlock ls', () => {
  let sandbox: Sandbox;
  let home: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ fleet: FLEET, pacing: false });
    home = await mkdtemp(join(tmpdir(), 'airlock-ls-home-'));
    await mkdir(join(home, '.aws'));
    await writeFile(
      join(home, '.aws', 'config'),
      `[default]\nregion = us-east-1\nendpoint_url = ${sandbox.endpoint}\n\n[profile bob]\nregion = us-east-1\nendpoint_url = ${sandbox.endpoint}\n`,
    );
    await writeFile(
      join(home, '.aws', 'credentials'),
      `[default]\naws_access_key_id = ${ALICE.id}\naws_secret_access_key = ${ALICE.secret}\n\n[bob]\naws_access_key_id = ${BOB.id}\naws_secret_access_key = ${BOB.secret}\n`,
    );
  });

  afterAll(async () => {
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  async function ls(args: string[], env: NodeJS.ProcessEnv = { HOME: home }) {
    const out = capture();
    const err = capture();
    const io = {
      stdin: new PassThrough(),
      stdout: out.stream,
      stderr: err.stream,
      env,
    } as unknown as CliIo;
    const code = await runCli(['ls', ...args], io);
    return { code, stdout: out.text(), stderr: err.text() };
  }

  it('prints a table for the default profile', async () => {
    const result = await ls([]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^INSTANCE\s+NAME\s+PROFILE\s+REGION/);
    expect(lines).toHaveLength(3);
    expect(result.stdout).toContain('web-1');
    expect(result.stdout).toContain('db-1');
  });

  it('prints JSON lines, filtered, across profiles', async () => {
    const result = await ls([
      '--profile',
      'default',
      '--profile',
      'bob',
      '--filter',
      'tag:Env=prod',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => r.name).sort()).toEqual(['web-1', 'web-2']);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
      [
        'agentVersion',
        'instanceId',
        'ipAddress',
        'name',
        'pingStatus',
        'platform',
        'profile',
        'region',
        'tags',
      ].sort(),
    );
    expect(rows.find((r) => r.name === 'web-2')).toMatchObject({
      profile: 'bob',
      region: 'us-east-1',
      tags: { Env: 'prod' },
    });
  });

  it('a failing source exits 1 with a clear message, and the good rows still print', async () => {
    const result = await ls([
      '--profile',
      'bob',
      '--region',
      'us-east-1',
      '--region',
      'eu-west-1',
      '--json',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toContain('web-2');
    expect(result.stderr).toMatch(/airlock ls: bob in eu-west-1: Access denied/);
  });

  it('without profiles or credentials it says so and exits 1', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'airlock-ls-empty-'));
    try {
      const result = await ls([], { HOME: empty });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/no AWS profiles with credentials/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('rejects unknown arguments with exit 2', async () => {
    const result = await ls(['--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown argument '--bogus'");
  });

  it('--json prints each page as it arrives, before the listing has asked for the last page', async () => {
    // 1,500 instances over five regions: six pages of at most 50 in the default one.
    const calls: string[] = [];
    const recording: Logger = {
      log: (_level, message, fields) => {
        if (message === 'API call') calls.push(String(fields?.operation));
      },
      child: () => recording,
    };
    const big = await startSandbox({ instances: 1500, pacing: false, logger: recording });
    const bigHome = await mkdtemp(join(tmpdir(), 'airlock-ls-stream-'));
    try {
      await mkdir(join(bigHome, '.aws'));
      await writeFile(
        join(bigHome, '.aws', 'config'),
        `[default]\nregion = ${big.region}\nendpoint_url = ${big.endpoint}\n`,
      );
      await writeFile(
        join(bigHome, '.aws', 'credentials'),
        `[default]\naws_access_key_id = ${big.credentials.accessKeyId}\naws_secret_access_key = ${big.credentials.secretAccessKey}\n`,
      );
      const expected = big.fleet.list(big.accounts[0]!.accountId, big.region).length;
      expect(expected).toBeGreaterThan(250);
      // A reader that takes the first write and then holds everything back until released.
      const received: string[] = [];
      let firstWrite: () => void = () => undefined;
      const firstWritten = new Promise<void>((resolve) => (firstWrite = resolve));
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      const stdout = new Writable({
        highWaterMark: 16,
        write(chunk: Buffer, _encoding, done) {
          received.push(chunk.toString('utf8'));
          firstWrite();
          void released.then(() => done());
        },
      });
      const err = capture();
      const io = { stdin: new PassThrough(), stdout, stderr: err.stream, env: { HOME: bigHome } };
      const run = runCli(['ls', '--json'], io as unknown as CliIo);
      await firstWritten;
      const linesAtFirstWrite = received.join('').trimEnd().split('\n');
      const pagesAsked = calls.filter((c) => c === 'DescribeInstanceInformation').length;
      release();
      expect(await run).toBe(0);
      // Four pages (one EC2 batch of 200) printed while the fifth is the furthest asked for, and
      // the sixth, the last, is not asked for yet.
      expect(linesAtFirstWrite).toHaveLength(200);
      expect(pagesAsked).toBeLessThan(6);
      const lines = received.join('').trimEnd().split('\n');
      expect(lines).toHaveLength(expected);
      expect(
        new Set(lines.map((l) => (JSON.parse(l) as { instanceId: string }).instanceId)).size,
      ).toBe(expected);
    } finally {
      await big.close();
      await rm(bigHome, { recursive: true, force: true });
    }
  });
});
