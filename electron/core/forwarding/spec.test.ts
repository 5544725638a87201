import { describe, expect, it } from 'vitest';
import { ForwardError } from './errors';
import { describeRemote, formatHostPort, isLoopbackAddress, parseForwardSpec } from './spec';

const base = {
  id: 'db',
  name: 'Staging DB',
  region: 'eu-west-1',
  target: 'i-0123456789abcdef0',
  remote: { kind: 'instance-port', port: 5432 },
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof ForwardError ? error.code : 'not-a-forward-error';
  }
  return undefined;
}

describe('parseForwardSpec', () => {
  it('fills in the loopback bind address and an automatic port', () => {
    const spec = parseForwardSpec(base);
    expect(spec.bindAddress).toBe('127.0.0.1');
    expect(spec.localPort).toBe(0);
    expect(spec.remote).toEqual({ kind: 'instance-port', port: 5432 });
  });

  it('accepts remote-host forwards, groups, profiles and any 127.0.0.0/8 alias', () => {
    const spec = parseForwardSpec({
      ...base,
      group: 'staging DBs',
      profile: 'dev-admin',
      remote: { kind: 'remote-host', host: 'db.internal.example', port: 3306 },
      bindAddress: '127.0.0.2',
      localPort: 13306,
    });
    expect(spec.group).toBe('staging DBs');
    expect(spec.bindAddress).toBe('127.0.0.2');
    expect(describeRemote(spec)).toBe('db.internal.example:3306 via i-0123456789abcdef0');
    expect(parseForwardSpec({ ...base, bindAddress: '::1' }).bindAddress).toBe('::1');
  });

  it('refuses all interfaces without the confirmation flag and names the risk', () => {
    for (const bindAddress of ['0.0.0.0', '::']) {
      let error: unknown;
      try {
        parseForwardSpec({ ...base, bindAddress });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ForwardError);
      expect((error as ForwardError).code).toBe('all-interfaces-unconfirmed');
      expect((error as ForwardError).message).toMatch(/every network interface/);
      expect((error as ForwardError).message).toMatch(/allowAllInterfaces: true/);
    }
    expect(
      parseForwardSpec({ ...base, bindAddress: '0.0.0.0', allowAllInterfaces: true }).bindAddress,
    ).toBe('0.0.0.0');
  });

  it('refuses a non-loopback interface address without confirmation', () => {
    expect(codeOf(() => parseForwardSpec({ ...base, bindAddress: '192.168.1.20' }))).toBe(
      'all-interfaces-unconfirmed',
    );
  });

  it('lists every problem with its field', () => {
    let message = '';
    try {
      parseForwardSpec({
        ...base,
        name: '  ',
        region: 'Europe',
        localPort: 70000,
        remote: { kind: 'instance-port', port: 0 },
      });
    } catch (error) {
      expect((error as ForwardError).code).toBe('invalid-spec');
      message = (error as Error).message;
    }
    expect(message).toContain('name: name is required');
    expect(message).toContain('region: region must look like eu-west-1');
    expect(message).toContain('localPort: localPort must be a whole number from 0 to 65535');
    expect(message).toContain('remote.port: remote port must be a whole number from 1 to 65535');
  });

  it('refuses junk input without throwing anything but ForwardError', () => {
    for (const input of [
      null,
      42,
      'x',
      [],
      { ...base, remote: { kind: 'udp', port: 1 } },
      { ...base, extra: 1 },
    ]) {
      expect(codeOf(() => parseForwardSpec(input))).toBe('invalid-spec');
    }
    expect(codeOf(() => parseForwardSpec({ ...base, bindAddress: 'localhost' }))).toBe(
      'invalid-spec',
    );
    expect(codeOf(() => parseForwardSpec({ ...base, target: 'i-1 ; rm' }))).toBe('invalid-spec');
  });
});

describe('address helpers', () => {
  it('knows loopback addresses', () => {
    expect(isLoopbackAddress('127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('127.255.3.4')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('128.0.0.1')).toBe(false);
    expect(isLoopbackAddress('0.0.0.0')).toBe(false);
  });

  it('formats host:port for IPv4 and IPv6', () => {
    expect(formatHostPort('127.0.0.1', 5432)).toBe('127.0.0.1:5432');
    expect(formatHostPort('::1', 5432)).toBe('[::1]:5432');
  });
});
