// Trust checks for IPC senders and navigation targets.
import { describe, expect, it } from 'vitest';
import { externalLinkAction, isAppUrl, isExternalLink, isTrustedFrame } from './app-origin';

describe('app origin checks', () => {
  it('accepts only app://airlock URLs', () => {
    expect(isAppUrl('app://airlock/index.html')).toBe(true);
    expect(isAppUrl('app://airlock/assets/x.js?y#z')).toBe(true);
    for (const url of [
      'app://other/index.html',
      'file:///home/u/out/renderer/index.html',
      'http://127.0.0.1:5173/',
      'https://airlock/',
      'devtools://devtools/bundled/inspector.html',
      'app://airlock.evil/',
      'not a url',
      '',
      undefined,
    ]) {
      expect(isAppUrl(url)).toBe(false);
    }
  });

  it('trusts only the top frame of our page', () => {
    expect(isTrustedFrame({ url: 'app://airlock/index.html', parent: null })).toBe(true);
    expect(isTrustedFrame({ url: 'app://airlock/index.html', parent: {} })).toBe(false);
    expect(isTrustedFrame({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedFrame(null)).toBe(false);
  });

  it('opens only http(s) links externally', () => {
    expect(isExternalLink('https://aws.amazon.com/')).toBe(true);
    expect(isExternalLink('http://10.0.0.1:8080/')).toBe(true);
    expect(isExternalLink('file:///etc/passwd')).toBe(false);
    expect(isExternalLink('javascript:alert(1)')).toBe(false);
    expect(isExternalLink('smb://host/share')).toBe(false);
  });

  it('opens AWS documentation, console and device sign-in links at once, asks about the rest', () => {
    for (const url of [
      'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html',
      'https://console.aws.amazon.com/systems-manager/',
      'https://eu-west-1.console.aws.amazon.com/ec2/home',
      'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
      'https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=x',
    ]) {
      expect(externalLinkAction(url)).toBe('open');
    }
    for (const url of [
      'http://docs.aws.amazon.com/',
      'https://docs.aws.amazon.com.evil.example/',
      'https://evil.example/?docs.aws.amazon.com',
      'https://user@console.aws.amazon.com/',
      'https://console.aws.amazon.com:8443/',
      'https://aws.amazon.com.evil.example/',
      'https://oidc.eu-west-1.amazonaws.com.evil.example/authorize',
      'http://127.0.0.1:8080/device?user_code=ABCD',
      'https://example.com/',
    ]) {
      expect(externalLinkAction(url)).toBe('ask');
    }
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'nope']) {
      expect(externalLinkAction(url)).toBe('refuse');
    }
  });
});
