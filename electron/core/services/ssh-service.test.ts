// The app's SSH service: the OS user's tag rule, the `airlock ssh` line, and what Open in VS Code
// does before and after the user agrees to the Include line.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
  it('takes the airlock:ssh-user tag when it names a valid user, else ec2-user', () => {
    expect(sshUserOf(instance())).toBe('ec2-user');
    expect(sshUserOf(instance([{ key: 'airlock:ssh-user', value: 'ubuntu' }]))).toBe('ubuntu');
    expect(sshUserOf(instance([{ key: 'airlock:ssh-user', value: 'x; rm -rf' }]))).toBe('ec2-user');
    expect(remoteHome('root')).toBe('/root');
    expect(remoteHome('ubuntu')).toBe('/home/ubuntu');
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
      env: { HOME: home, PATH: pathVariable },
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

  it('gives the airlock ssh line and refuses an instance it does not list', () => {
    expect(service('').command(target)).toEqual({
      command: 'airlock ssh --profile work --region eu-west-1 --user ec2-user i-0123456789abcdef0',
    });
    expect(() => service('').command({ ...target, instanceId: 'i-0000000000000000f' })).toThrow(
      /not in the inventory/,
    );
  });
});
