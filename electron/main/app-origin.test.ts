// Trust checks for IPC senders and navigation targets.
import { describe, expect, it } from 'vitest';
import { isAppUrl, isExternalLink, isTrustedFrame } from './app-origin';

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
});
