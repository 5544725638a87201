import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CaBundleError,
  environmentProxyRule,
  readCaBundle,
  settingsFromEnvironment,
  withSystemProxy,
} from './network-settings';

const url = (text: string) => new URL(text);

describe('withSystemProxy', () => {
  it('asks the system resolver (PAC answers) only where no proxy variable is set', async () => {
    const asked: string[] = [];
    const resolver = (target: string) => {
      asked.push(target);
      return Promise.resolve(
        target.includes('internal') ? 'DIRECT' : 'PROXY pac-proxy.corp:8080; DIRECT',
      );
    };
    const systemOnly = withSystemProxy({}, resolver);
    expect(await systemOnly(url('https://ssm.eu-west-1.amazonaws.com/'))).toBe(
      'http://pac-proxy.corp:8080',
    );
    expect(await systemOnly(url('wss://ssmmessages.internal.example/v1'))).toBeUndefined();
    expect(asked).toEqual([
      'https://ssm.eu-west-1.amazonaws.com/',
      'wss://ssmmessages.internal.example/v1',
    ]);

    const explicit = withSystemProxy(
      { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: '.corp.example' },
      resolver,
    );
    asked.length = 0;
    expect(await explicit(url('https://sts.amazonaws.com/'))).toBe('http://env-proxy:3128');
    expect(await explicit(url('https://api.corp.example/'))).toBeUndefined();
    // Plain http has no variable here, so the system decides it.
    expect(await explicit(url('http://169.254.169.254/'))).toBe('http://pac-proxy.corp:8080');
    expect(asked).toEqual(['http://169.254.169.254/']);
  });
});

describe('settingsFromEnvironment', () => {
  it('reads the proxy variables and AWS_CA_BUNDLE, and names an unreadable bundle', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airlock-ca-'));
    try {
      const bundle = path.join(dir, 'corp.pem');
      writeFileSync(bundle, 'PEM TEXT');
      const settings = settingsFromEnvironment({ https_proxy: 'proxy:1', AWS_CA_BUNDLE: bundle });
      expect(settings.extraCa).toEqual(['PEM TEXT']);
      expect(settings.proxyFor(url('https://x.example/'))).toBe('http://proxy:1');
      const missing = path.join(dir, 'missing.pem');
      expect(() => settingsFromEnvironment({ AWS_CA_BUNDLE: missing })).toThrow(
        new CaBundleError(`AWS_CA_BUNDLE ${missing} could not be read (ENOENT)`),
      );
      expect(() => readCaBundle(dir, 'ca_bundle')).toThrow(
        /^ca_bundle .* could not be read \(EISDIR\)$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('connects directly when no variable is set', () => {
    expect(environmentProxyRule({})(url('https://ssm.us-east-1.amazonaws.com/'))).toBeUndefined();
  });
});
