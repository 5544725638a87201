// Argument parsing of `airlock forward`: port specs, bind address rules and options.

import { describe, expect, it } from 'vitest';
import { ForwardUsageError, exposureWarning, parseForwardArgs, parsePortSpec } from './forward';

describe('parsePortSpec', () => {
  it('reads LOCAL:REMOTE as a port on the instance, 0 meaning automatic', () => {
    expect(parsePortSpec('5432:5432')).toEqual({
      localPort: 5432,
      remote: { kind: 'instance-port', port: 5432 },
    });
    expect(parsePortSpec('0:22').localPort).toBe(0);
  });

  it('reads LOCAL:HOST:REMOTE, with bracketed IPv6 hosts', () => {
    expect(parsePortSpec('15432:db.internal:5432')).toEqual({
      localPort: 15432,
      remote: { kind: 'remote-host', host: 'db.internal', port: 5432 },
    });
    expect(parsePortSpec('0:[fd00::5]:443').remote).toEqual({
      kind: 'remote-host',
      host: 'fd00::5',
      port: 443,
    });
  });

  it('refuses malformed specs with a message saying what is wrong', () => {
    expect(() => parsePortSpec('5432')).toThrow(/is not LOCAL_PORT:REMOTE_PORT/);
    expect(() => parsePortSpec('a:1')).toThrow(/local port must be a whole number from 0/);
    expect(() => parsePortSpec('1:0')).toThrow(/remote port must be a whole number from 1/);
    expect(() => parsePortSpec('1:65536')).toThrow(ForwardUsageError);
    expect(() => parsePortSpec('1::2')).toThrow(/is not LOCAL_PORT/);
    expect(() => parsePortSpec('1:bad host:2')).toThrow(/not a host name/);
  });
});

describe('parseForwardArgs', () => {
  it('defaults to 127.0.0.1 and takes --profile, --region and --flag=value', () => {
    expect(parseForwardArgs(['web-1', '0:80', '--profile', 'work', '--region=eu-west-1'])).toEqual({
      target: 'web-1',
      localPort: 0,
      remote: { kind: 'instance-port', port: 80 },
      bindAddress: '127.0.0.1',
      allInterfaces: false,
      profile: 'work',
      region: 'eu-west-1',
    });
    expect(parseForwardArgs(['x', '--help'])).toBe('help');
  });

  it('accepts loopback aliases, and other addresses only with --all-interfaces', () => {
    expect(parseForwardArgs(['i-0abc12345', '1:2', '--bind', '127.0.0.2'])).toMatchObject({
      bindAddress: '127.0.0.2',
    });
    expect(() => parseForwardArgs(['i-0abc12345', '1:2', '--bind', '0.0.0.0'])).toThrow(
      /add --all-interfaces to confirm/,
    );
    expect(
      parseForwardArgs(['i-0abc12345', '1:2', '--bind', '0.0.0.0', '--all-interfaces']),
    ).toMatchObject({ bindAddress: '0.0.0.0', allInterfaces: true });
    expect(() => parseForwardArgs(['i-0abc12345', '1:2', '--bind', 'localhost'])).toThrow(
      /not an IP address/,
    );
  });

  it('refuses unknown options, missing and extra arguments', () => {
    expect(() => parseForwardArgs(['t', '1:2', '--nope'])).toThrow(/unknown option --nope/);
    expect(() => parseForwardArgs(['t'])).toThrow(/are required/);
    expect(() => parseForwardArgs(['t', '1:2', 'more'])).toThrow(/unexpected argument more/);
    expect(() => parseForwardArgs(['t', '1:2', '--region'])).toThrow(/--region needs a value/);
  });
});

describe('exposureWarning', () => {
  it('names the risk', () => {
    expect(exposureWarning('0.0.0.0')).toMatch(/every network interface.*your AWS permissions/);
    expect(exposureWarning('192.168.1.5')).toMatch(/interface that owns 192\.168\.1\.5/);
  });
});
