import { describe, expect, it } from 'vitest';
import {
  bypassesProxy,
  describeProxy,
  proxyFromEnvironment,
  proxyFromPacResult,
  readProxyEnvironment,
} from './proxy-rules';

const url = (text: string) => new URL(text);

describe('readProxyEnvironment', () => {
  it('reads either case, preferring lower case, and adds a missing scheme', () => {
    expect(
      readProxyEnvironment({
        HTTPS_PROXY: 'http://upper:1',
        https_proxy: 'http://lower:2',
        HTTP_PROXY: 'plain:3128',
        NO_PROXY: 'internal',
      }),
    ).toEqual({
      httpsProxy: 'http://lower:2',
      httpProxy: 'http://plain:3128',
      noProxy: 'internal',
    });
    expect(readProxyEnvironment({ HTTPS_PROXY: '  ' })).toEqual({ noProxy: '' });
  });
});

describe('proxyFromEnvironment', () => {
  const settings = readProxyEnvironment({
    HTTPS_PROXY: 'http://user:secret@proxy.corp:8080',
    HTTP_PROXY: 'http://plain.corp:3128',
    NO_PROXY: 'localhost, .internal.example, 10.0.0.0/8 [fd00::]:443 169.254.169.254 db:5432',
  });

  it('picks the proxy by scheme: https and wss through HTTPS_PROXY, http and ws through HTTP_PROXY', () => {
    expect(proxyFromEnvironment(url('https://ssm.us-east-1.amazonaws.com/'), settings)).toBe(
      'http://user:secret@proxy.corp:8080',
    );
    expect(
      proxyFromEnvironment(url('wss://ssmmessages.us-east-1.amazonaws.com/v1'), settings),
    ).toBe('http://user:secret@proxy.corp:8080');
    expect(proxyFromEnvironment(url('http://example.com/'), settings)).toBe(
      'http://plain.corp:3128',
    );
    expect(proxyFromEnvironment(url('https://x.example/'), { noProxy: '' })).toBeUndefined();
  });

  it('bypasses hosts, domain suffixes, CIDR ranges, IPs and host:port entries', () => {
    const direct = (text: string) => proxyFromEnvironment(url(text), settings) === undefined;
    expect(direct('https://localhost:9000/')).toBe(true);
    expect(direct('https://internal.example/')).toBe(true);
    expect(direct('https://api.internal.example/')).toBe(true);
    expect(direct('https://notinternal.example/')).toBe(false);
    expect(direct('https://10.1.2.3/')).toBe(true);
    expect(direct('https://11.1.2.3/')).toBe(false);
    expect(direct('https://[fd00::]/')).toBe(true);
    expect(direct('https://[fd00::1]/')).toBe(false);
    expect(direct('http://169.254.169.254/latest')).toBe(true);
    expect(direct('https://db:5432/')).toBe(true);
    expect(direct('https://db/')).toBe(false);
  });

  it('never sends loopback through a proxy', () => {
    const everything = readProxyEnvironment({ HTTPS_PROXY: 'proxy:1', HTTP_PROXY: 'proxy:1' });
    for (const local of [
      'http://127.0.0.1:4566/',
      'https://localhost/',
      'ws://[::1]:8080/',
      'http://api.localhost/',
    ]) {
      expect(proxyFromEnvironment(url(local), everything)).toBeUndefined();
    }
    expect(proxyFromEnvironment(url('http://128.0.0.1/'), everything)).toBe('http://proxy:1');
  });

  it('treats * as everything and ignores entries it cannot read', () => {
    expect(bypassesProxy(url('https://anything.example/'), '*')).toBe(true);
    expect(bypassesProxy(url('https://10.0.0.1/'), '10.0.0.0/99, ,')).toBe(false);
    expect(bypassesProxy(url('https://a.example/'), '*.example')).toBe(true);
  });
});

describe('proxyFromPacResult', () => {
  it('takes the first usable entry of a resolver answer', () => {
    expect(proxyFromPacResult('DIRECT')).toBeUndefined();
    expect(proxyFromPacResult('PROXY proxy.corp:8080; DIRECT')).toBe('http://proxy.corp:8080');
    expect(proxyFromPacResult('SOCKS5 s:1080; HTTPS secure.corp:443')).toBe(
      'https://secure.corp:443',
    );
    expect(proxyFromPacResult('SOCKS s:1080')).toBeUndefined();
    expect(proxyFromPacResult('')).toBeUndefined();
  });
});

describe('describeProxy', () => {
  it('names a proxy without its credentials', () => {
    expect(describeProxy('http://user:secret@proxy.corp:8080')).toBe('http://proxy.corp:8080');
    expect(describeProxy('not a url')).toBe('the configured proxy');
  });
});
