import { describe, expect, it } from 'vitest';
import { rdpFileContent, rdpLaunchPlan } from './rdp-launch';

const endpoint = { host: '127.0.0.1', port: 53389, username: 'Administrator' };

describe('rdpLaunchPlan', () => {
  it('hands an .rdp file to mstsc on Windows and to open on macOS', () => {
    const content = rdpFileContent(endpoint);
    expect(rdpLaunchPlan('win32', endpoint, {})).toEqual({
      kind: 'rdp-file',
      content,
      command: 'mstsc.exe',
      args: [],
    });
    expect(rdpLaunchPlan('darwin', endpoint, { xfreerdp: '/usr/bin/xfreerdp' })).toEqual({
      kind: 'rdp-file',
      content,
      command: 'open',
      args: [],
    });
  });

  it('prefers xfreerdp on Linux, then remmina, else shows the address', () => {
    expect(
      rdpLaunchPlan('linux', endpoint, {
        xfreerdp: '/usr/bin/xfreerdp',
        remmina: '/usr/bin/remmina',
      }),
    ).toEqual({
      kind: 'run',
      command: '/usr/bin/xfreerdp',
      args: ['/v:127.0.0.1:53389', '/u:Administrator', '/cert:ignore'],
    });
    expect(rdpLaunchPlan('linux', endpoint, { remmina: '/usr/bin/remmina' })).toEqual({
      kind: 'run',
      command: '/usr/bin/remmina',
      args: ['-c', 'rdp://Administrator@127.0.0.1:53389'],
    });
    expect(rdpLaunchPlan('linux', endpoint, {})).toEqual({
      kind: 'show-address',
      address: '127.0.0.1:53389',
    });
  });

  it('leaves the user name out when there is none, and brackets IPv6', () => {
    const plan = rdpLaunchPlan(
      'freebsd',
      { host: '::1', port: 3390, username: '' },
      {
        xfreerdp: '/x',
      },
    );
    expect(plan).toEqual({ kind: 'run', command: '/x', args: ['/v:[::1]:3390', '/cert:ignore'] });
  });
});

describe('rdpFileContent', () => {
  it('names the full address and the user, with CRLF line ends', () => {
    const content = rdpFileContent(endpoint);
    expect(content.split('\r\n')).toEqual([
      'full address:s:127.0.0.1:53389',
      'username:s:Administrator',
      'authentication level:i:2',
      'prompt for credentials:i:1',
      '',
    ]);
    expect(rdpFileContent({ ...endpoint, username: '' })).not.toContain('username:s:');
  });
});
