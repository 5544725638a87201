// Debian's ssh, scp and sftp through `airlock ssh-proxy`, `airlock ssh` and the entries of
// `airlock ssh-config --write`, against the sandbox's sshd, which takes only keys pushed with
// EC2 Instance Connect and only while they live.

import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  EC2InstanceConnectClient,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET, DEFAULT_INSTANCES } from '../emulator/fleet-default';
import { startSandbox, type Sandbox } from '../emulator/sandbox';
import type { PushedSshKey } from '../emulator/ssh-keys';

const haveSsh = ['/usr/bin/ssh', '/usr/bin/scp', '/usr/bin/sftp', '/usr/sbin/sshd'].every((tool) =>
  existsSync(tool),
);
if (!haveSsh) console.log('ssh tests skipped: openssh-client or openssh-server is absent');

const entryScript = fileURLToPath(new URL('./entry.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const me = userInfo().username;
/**
 * Long enough for two CLI starts from source (airlock ssh, then its ProxyCommand) on a loaded CI
 * machine, short enough to wait out in a test.
 */
const KEY_LIFETIME_MS = 30_000;
/** Host keys are the sandbox's fresh ones: nothing to remember between runs. */
const USER_LINES = [
  '# my own settings',
  'StrictHostKeyChecking no',
  'UserKnownHostsFile /dev/null',
  'LogLevel ERROR',
  'BatchMode yes',
  '',
  'Host example-mine',
  '  HostName 192.0.2.1',
  '  User someone',
  '',
].join('\n');

interface Ran {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input?: Buffer,
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr }));
  });
}

/** What the ProxyCommand may print on ssh's stderr, as session-manager-plugin does: nothing else. */
const SESSION_NOTICES = /^(\s*Starting session with SessionId: \S+\s*)*$/;

/** ssh options for a login to a fresh sandbox host: no config, no known hosts, no prompts. */
const ONE_SHOT_SSH = [
  '-F',
  '/dev/null',
  '-o',
  'StrictHostKeyChecking=no',
  '-o',
  'UserKnownHostsFile=/dev/null',
  '-o',
  'BatchMode=yes',
  '-o',
  'LogLevel=ERROR',
];

const DEFAULT_FLEET_FILE = DEFAULT_FLEET as Exclude<typeof DEFAULT_FLEET, unknown[]>;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe.skipIf(!haveSsh)('ssh over Session Manager with pushed keys', () => {
  let sandbox: Sandbox;
  let home: string;
  let keyTemp: string;
  let env: NodeJS.ProcessEnv;
  const airlock = (args: readonly string[], input?: Buffer): Promise<Ran> =>
    run(path.join(home, 'bin', 'airlock'), args, env, input);

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      pacing: false,
      // db-1 names its OS user with the tag rule.
      fleet: {
        ...DEFAULT_FLEET_FILE,
        instances: DEFAULT_FLEET_FILE.instances.map((instance) =>
          instance.instanceId === DEFAULT_INSTANCES.db
            ? { ...instance, tags: { ...instance.tags, 'airlock:ssh-user': me } }
            : instance,
        ),
      },
      sshd: true,
      sshKeyLifetimeMs: KEY_LIFETIME_MS,
    });
    home = await mkdtemp(path.join(tmpdir(), 'airlock-ssh-home-'));
    keyTemp = path.join(home, 'tmp');
    await mkdir(path.join(home, 'bin'));
    await mkdir(keyTemp);
    const launcher = path.join(home, 'bin', 'airlock');
    await writeFile(
      launcher,
      `#!/bin/sh\nexec '${process.execPath}' --import '${tsxLoader}' '${entryScript}' "$@"\n`,
    );
    await chmod(launcher, 0o755);
    await writeFile(path.join(home, 'aws-config'), '');
    env = {
      PATH: `${path.join(home, 'bin')}:/usr/bin:/bin`,
      HOME: home,
      TMPDIR: keyTemp,
      AWS_CONFIG_FILE: path.join(home, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'aws-config'),
      AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey,
      AWS_REGION: sandbox.region,
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
  }, 30_000);

  afterAll(async () => {
    await sandbox.close();
    await rm(home, { recursive: true, force: true });
  });

  /** Resolves when the sandbox withdraws the key pushed with `publicKey`. */
  function expiryOf(publicKey: string): Promise<PushedSshKey> {
    return new Promise((resolve) => {
      const subscription = sandbox.sshKeys.onExpired((key) => {
        if (key.publicKey !== publicKey.trim()) return;
        subscription.dispose();
        resolve(key);
      });
    });
  }

  const sshOptions = [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ProxyCommand=airlock ssh-proxy %h',
  ];

  it('logs in through ssh-proxy with a pushed key, and refuses it once its lifetime is over', async () => {
    const keyFile = path.join(home, 'pushed_key');
    expect(
      (await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile], env))
        .status,
    ).toBe(0);
    const publicKey = await readFile(`${keyFile}.pub`, 'utf8');
    const eic = new EC2InstanceConnectClient({
      endpoint: sandbox.endpoint,
      region: sandbox.region,
      credentials: sandbox.credentials,
    });
    const ssh = (): Promise<Ran> =>
      run(
        '/usr/bin/ssh',
        [...sshOptions, '-i', keyFile, `${me}@${DEFAULT_INSTANCES.web}`, 'true'],
        env,
      );
    try {
      // Before any push the key opens nothing.
      const before = await ssh();
      expect(before.status).toBe(255);
      expect(before.stderr).toContain('Permission denied');

      const pushed = await eic.send(
        new SendSSHPublicKeyCommand({
          InstanceId: DEFAULT_INSTANCES.web,
          InstanceOSUser: 'ec2-user',
          SSHPublicKey: publicKey,
        }),
      );
      expect(pushed.Success).toBe(true);
      const expired = expiryOf(publicKey);
      const during = await ssh();
      expect(during.stderr).toMatch(SESSION_NOTICES);
      expect(during.status).toBe(0);

      await expired;
      const after = await ssh();
      expect(after.status).toBe(255);
      expect(after.stderr).toContain('Permission denied');

      await expect(
        eic.send(
          new SendSSHPublicKeyCommand({
            InstanceId: DEFAULT_INSTANCES.offline,
            InstanceOSUser: 'ec2-user',
            SSHPublicKey: publicKey,
          }),
        ),
      ).rejects.toMatchObject({ name: 'EC2InstanceStateInvalidException' });
      await expect(
        eic.send(
          new SendSSHPublicKeyCommand({
            InstanceId: DEFAULT_INSTANCES.web,
            InstanceOSUser: 'ec2-user',
            SSHPublicKey: `ssh-dss ${'A'.repeat(100)}`,
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidArgsException' });
    } finally {
      eic.destroy();
    }
  }, 120_000);

  it('airlock ssh runs a command with a key it pushed, then deletes the key', async () => {
    const pushes: string[] = [];
    const subscription = sandbox.sshKeys.onChange(() => {
      for (const key of sandbox.sshKeys.live())
        if (!pushes.includes(key.publicKey)) pushes.push(key.publicKey);
    });
    try {
      const ran = await airlock([
        'ssh',
        '--user',
        me,
        'web-1',
        '--',
        ...ONE_SHOT_SSH,
        'echo from-$((6*7)); exit 3',
      ]);
      expect(ran.stderr).toMatch(SESSION_NOTICES);
      expect(ran.stdout.toString()).toBe('from-42\n');
      expect(ran.status).toBe(3);
      expect(pushes).toHaveLength(1);
      expect(pushes[0]).toMatch(/^ssh-ed25519 \S+ airlock-ephemeral$/);
      // The key's private directory is gone (Node and tsx keep caches of their own there).
      expect((await readdir(keyTemp)).filter((name) => name.startsWith('airlock-ssh-'))).toEqual(
        [],
      );
    } finally {
      subscription.dispose();
    }
  }, 120_000);

  it("airlock ssh takes the user from the instance's tag, else AIRLOCK_SSH_USER, else the profile", async () => {
    const pushedFor = new Map<string, string>();
    const earlier = new Set(sandbox.sshKeys.live().map((key) => key.publicKey));
    const subscription = sandbox.sshKeys.onChange(() => {
      for (const key of sandbox.sshKeys.live())
        if (!earlier.has(key.publicKey)) pushedFor.set(key.publicKey, key.osUser);
    });
    const lastPushFor = (): string | undefined => [...pushedFor.values()].at(-1);
    const sshArgs = ['--', ...ONE_SHOT_SSH, 'true'];
    const launcher = path.join(home, 'bin', 'airlock');
    try {
      // The tag beats the variable; the login is as the tagged user.
      const tagged = await run(launcher, ['ssh', 'db-1', ...sshArgs], {
        ...env,
        AIRLOCK_SSH_USER: 'from-variable',
      });
      expect(tagged.stderr).toMatch(SESSION_NOTICES);
      expect(tagged.status).toBe(0);
      expect(lastPushFor()).toBe(me);

      // No tag: the variable beats the profile's setting.
      const profileConfig = path.join(home, 'aws-config-ssh-user');
      await writeFile(profileConfig, '[default]\nairlock_ssh_user = from-profile\n');
      const withProfile = { ...env, AWS_CONFIG_FILE: profileConfig };
      const variable = await run(launcher, ['ssh', 'web-1', ...sshArgs], {
        ...withProfile,
        AIRLOCK_SSH_USER: me,
      });
      expect(variable.status).toBe(0);
      expect(lastPushFor()).toBe(me);

      // Neither: the profile's airlock_ssh_user. No such account exists here, so only the push
      // is checked, not the login.
      await run(launcher, ['ssh', 'web-1', ...sshArgs], withProfile);
      expect(lastPushFor()).toBe('from-profile');
      expect(pushedFor.size).toBe(3);
    } finally {
      subscription.dispose();
    }
  }, 180_000);

  it('ssh-config --write: ssh, scp and sftp by name, through a symlinked config, idempotent', async () => {
    const dotfiles = path.join(home, 'dotfiles');
    await mkdir(dotfiles);
    await mkdir(path.join(home, '.ssh'), { mode: 0o700 });
    const target = path.join(dotfiles, 'ssh_config');
    await writeFile(target, USER_LINES, { mode: 0o644 });
    await symlink(target, path.join(home, '.ssh', 'config'));

    const first = await airlock(['ssh-config', '--write', '--user', me, 'web-1']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const shown = first.stdout.toString();
    const include = `Include ${path.join(home, '.ssh', 'airlock', 'config')}`;
    expect(shown.indexOf(include)).toBeGreaterThan(-1);
    expect(shown.indexOf(include)).toBeLessThan(shown.indexOf('Wrote'));
    expect(await readlink(path.join(home, '.ssh', 'config'))).toBe(target);
    const written = await readFile(target, 'utf8');
    // The Include goes before the first Host block; every line of the user's stays as it was.
    expect(written).toBe(
      USER_LINES.replace('Host example-mine', `${include}\n\nHost example-mine`),
    );
    expect(await readFile(`${target}.airlock-backup`, 'utf8')).toBe(USER_LINES);
    expect(((await lstat(target)).mode & 0o777).toString(8)).toBe('644');
    const own = await readFile(path.join(home, '.ssh', 'airlock', 'config'), 'utf8');

    const second = await airlock(['ssh-config', '--write', '--user', me, 'web-1']);
    expect(second.status).toBe(0);
    expect(second.stdout.toString()).toContain('nothing changed');
    expect(await readFile(target, 'utf8')).toBe(written);
    expect(await readFile(path.join(home, '.ssh', 'airlock', 'config'), 'utf8')).toBe(own);

    // ssh reads the passwd entry's ~/.ssh/config, not HOME's: name the test's.
    const config = ['-F', path.join(home, '.ssh', 'config')];
    const ssh = await run('/usr/bin/ssh', [...config, 'web-1', 'true'], env);
    expect(ssh.stderr).toMatch(SESSION_NOTICES);
    expect(ssh.status).toBe(0);

    const payload = randomBytes(20 * 1024 * 1024);
    await writeFile(path.join(home, 'payload'), payload);
    const up = await run(
      '/usr/bin/scp',
      [...config, '-q', path.join(home, 'payload'), 'web-1:' + path.join(home, 'uploaded')],
      env,
    );
    expect(up.stderr).toMatch(SESSION_NOTICES);
    expect(up.status).toBe(0);
    const down = await run(
      '/usr/bin/scp',
      [...config, '-q', 'web-1:' + path.join(home, 'uploaded'), path.join(home, 'back')],
      env,
    );
    expect(down.status).toBe(0);
    expect(sha256(await readFile(path.join(home, 'back')))).toBe(sha256(payload));

    const sftp = await run(
      '/usr/bin/sftp',
      [...config, '-b', '-', 'web-1'],
      env,
      Buffer.from(`ls ${home}\n`),
    );
    expect(sftp.status).toBe(0);
    expect(sftp.stdout.toString()).toContain(path.join(home, 'uploaded'));
  }, 180_000);
});
