// The app's SSH service: the OS user's tag rule, the `airlock ssh` line, and what Open in VS Code
// does before and after the user agrees to the Include line.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Instance } from '../../../shared/ipc';
import { createSshService, remoteHome, sshUserOf } from './ssh-service';

function instance(tags: { key: string; value: string }[] = []): Instance {
  return {
    key: 'aws:work|eu-west-1|i-0123456789abcdef0',
    instanceId: 'i-0123456789abcdef0',
    name: 'web',
    computerName: 'web',
    platform: 'Linux',
    platformName: 'Amazon Linux',
    platformVersion: '2023',
    pingStatus: 'Online',
    agentVersion: '3.3.0.0',
    ipAddress: '10.0.0.1',
    resourceType: 'EC2Instance',
    tags,
    region: 'eu-west-1',
    sourceId: 'aws:work',
    profile: 'work',
    sourceLabel: 'work',
    reachability: { canStartSession: true, muxPortForwarding: true, notes: [] },
  } as unknown as Instance;
}

describe('sshUserOf', () => {
  const noFiles = { HOME: '/nonexistent-home', AWS_CONFIG_FILE: '/nonexistent-home/config' };

  it('takes the airlock:ssh-user tag when it names a valid user, else ec2-user', async () => {
    expect(await sshUserOf(instance(), noFiles)).toBe('ec2-user');
    expect(await sshUserOf(instance([{ key: 'airlock:ssh-user', value: 'ubuntu' }]), noFiles)).toBe(
      'ubuntu',
    );
    expect(
      await sshUserOf(instance([{ key: 'airlock:ssh-user', value: 'x; rm -rf' }]), noFiles),
    ).toBe('ec2-user');
    expect(remoteHome('root')).toBe('/root');
    expect(remoteHome('ubuntu')).toBe('/home/ubuntu');
  });

  it("then AIRLOCK_SSH_USER, then the instance's profile's airlock_ssh_user", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'airlock-ssh-user-'));
    try {
      const config = path.join(dir, 'config');
      await writeFile(config, '[profile work]\nairlock_ssh_user = deploy\n');
      const env = { HOME: dir, AWS_CONFIG_FILE: config };
      expect(await sshUserOf(instance(), env)).toBe('deploy');
      expect(await sshUserOf(instance(), { ...env, AIRLOCK_SSH_USER: 'me' })).toBe('me');
      expect(
        await sshUserOf(instance([{ key: 'airlock:ssh-user', value: 'ubuntu' }]), {
          ...env,
          AIRLOCK_SSH_USER: 'me',
        }),
      ).toBe('ubuntu');
      // The sandbox's instances belong to no profile of the user's files.
      const sandboxed = { ...instance(), sourceId: 'sandbox', profile: 'work' } as Instance;
      expect(await sshUserOf(sandboxed, env)).toBe('ec2-user');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('createSshService', () => {
  let home: string;
  const launched: (readonly string[])[] = [];
  const target = { instanceId: 'i-0123456789abcdef0', sourceId: 'aws:work', region: 'eu-west-1' };

  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'airlock-ssh-service-'));
    launched.length = 0;
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  const service = (pathVariable: string) =>
    createSshService({
      env: { HOME: home, PATH: pathVariable, AWS_CONFIG_FILE: path.join(home, 'aws-config') },
      inventory: { find: (id) => (id === target.instanceId ? instance() : undefined) },
      airlockCommand: ['/opt/airlock'],
      launch: (file, args) => launched.push([file, ...args]),
    });

  it('asks before touching ~/.ssh/config, then writes and gives the code command', async () => {
    const first = await service('').openInVsCode({ ...target, allowInclude: false });
    expect(first).toEqual({
      outcome: 'confirm-include',
      file: path.join(home, '.ssh', 'config'),
      line: `Include ${path.join(home, '.ssh', 'airlock', 'config')}`,
    });
    await expect(readFile(path.join(home, '.ssh', 'config'))).rejects.toThrow();
    const second = await service('').openInVsCode({ ...target, allowInclude: true });
    expect(second).toEqual({
      outcome: 'no-code',
      host: target.instanceId,
      command: `code --remote ssh-remote+${target.instanceId} /home/ec2-user`,
    });
    expect(launched).toEqual([]);
    const own = await readFile(path.join(home, '.ssh', 'airlock', 'config'), 'utf8');
    expect(own).toContain('--profile work --region eu-west-1 --push-key');
  });

  it('gives the airlock ssh line and refuses an instance it does not list', async () => {
    expect(await service('').command(target)).toEqual({
      command: 'airlock ssh --profile work --region eu-west-1 --user ec2-user i-0123456789abcdef0',
    });
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, 'aws-config'), '[profile work]\nairlock_ssh_user = deploy\n');
    expect(await service('').command(target)).toEqual({
      command: 'airlock ssh --profile work --region eu-west-1 --user deploy i-0123456789abcdef0',
    });
    await expect(
      service('').command({ ...target, instanceId: 'i-0000000000000000f' }),
    ).rejects.toThrow(/not in the inventory/);
  });
});
