// The ssh configuration text Airlock writes: where the Include goes, and entries replaced by alias.

import { describe, expect, it } from 'vitest';
import {
  hostEntry,
  mergeOwnConfig,
  parseOwnConfig,
  sshConfigPaths,
  withInclude,
} from './ssh-config';

const INCLUDE = 'Include ~/.ssh/airlock/config';

describe('withInclude', () => {
  it('goes before the first Host or Match block, after global lines, and only once', () => {
    const user = 'ServerAliveInterval 30\n\n  match host x\n  User y\nHost z\n';
    const added = withInclude(user, INCLUDE);
    expect(added).toBe(
      `ServerAliveInterval 30\n\n${INCLUDE}\n\n  match host x\n  User y\nHost z\n`,
    );
    expect(withInclude(added ?? '', INCLUDE)).toBeUndefined();
    expect(withInclude('Include /home/u/.ssh/airlock/config\n', INCLUDE)).toBeUndefined();
  });

  it('ends a file without blocks, and starts an empty one', () => {
    expect(withInclude('Compression yes', INCLUDE)).toBe(`Compression yes\n${INCLUDE}\n`);
    expect(withInclude('', INCLUDE)).toBe(`${INCLUDE}\n`);
  });
});

describe('Airlock’s own file', () => {
  const paths = sshConfigPaths('/home/u');
  const entry = (alias: string, user: string): string =>
    hostEntry({ alias, target: alias, user, region: 'eu-west-1' }, ['/opt/air lock'], paths);

  it('has a ProxyCommand that pushes the key for ssh’s user and quotes what needs it', () => {
    expect(entry('web-1', 'ec2-user')).toBe(
      [
        'Host web-1',
        '  HostName web-1',
        '  User ec2-user',
        '  IdentityFile /home/u/.ssh/airlock/id_ed25519',
        "  ProxyCommand '/opt/air lock' ssh-proxy --region eu-west-1 --push-key /home/u/.ssh/airlock/id_ed25519.pub --user %r %h %p",
        '',
      ].join('\n'),
    );
  });

  it('replaces an entry of the same alias and keeps the others', () => {
    const first = mergeOwnConfig('', [entry('a', 'x'), entry('b', 'x')]);
    const second = mergeOwnConfig(first, [entry('b', 'y')]);
    expect([...parseOwnConfig(second).keys()]).toEqual(['a', 'b']);
    expect(parseOwnConfig(second).get('b')).toContain('User y');
    expect(mergeOwnConfig(second, [entry('b', 'y')])).toBe(second);
  });
});
