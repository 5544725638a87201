// Every error code the UI can show reads as a plain sentence: no channel names, close codes,
// stack traces or [object Object], whatever main or the socket put in the message.
import { describe, expect, it } from 'vitest';
import { channelNames, err, type Api } from '../../shared/ipc';
import { ERROR_SENTENCES, SHOWN_ERROR_CODES, plainError, withPlainErrors } from './errors';

const NASTY_MESSAGES = [
  'inventory:list: connection to Airlock closed (1006)',
  'sessions:start: [object Object]',
  'TypeError: Cannot read properties of undefined\n    at start (main.js:1:2)',
  'connection to Airlock closed (1006: going away)',
  'forwards:create: code 1011',
  '',
];

function assertPlain(text: string): void {
  expect(text.length).toBeGreaterThan(0);
  for (const name of channelNames) expect(text).not.toContain(name);
  expect(text).not.toMatch(/\b1\d{3}\b/);
  expect(text).not.toContain('[object');
  expect(text).not.toMatch(/\n\s*at\s/);
}

describe('plainError', () => {
  it('gives every code a plain sentence, whatever the message', () => {
    for (const code of SHOWN_ERROR_CODES) {
      expect(ERROR_SENTENCES[code]).toBeTruthy();
      for (const message of NASTY_MESSAGES) {
        const plain = plainError({ code, message });
        assertPlain(plain.text);
      }
      assertPlain(plainError({ code }).text);
    }
  });

  it('keeps main messages written for people, without the channel prefix', () => {
    expect(
      plainError({ code: 'aws-error', message: 'inventory:list: AccessDenied: not allowed' }).text,
    ).toBe('AccessDenied: not allowed');
    expect(plainError({ code: 'invalid-request', message: 'bind address is required' }).text).toBe(
      'bind address is required',
    );
  });

  it('keeps the raw message as details, for on-demand display', () => {
    const plain = plainError({ code: 'unavailable', message: 'inventory:list: closed (1006)' });
    expect(plain.text).toBe(ERROR_SENTENCES.unavailable);
    expect(plain.details).toBe('inventory:list: closed (1006)');
  });

  it('turns every failed invoke into its plain sentence', async () => {
    const api: Api = {
      invoke: () =>
        Promise.resolve(err('unavailable', 'inventory:list: connection to Airlock closed (1006)')),
      on: () => () => {},
    };
    const result = await withPlainErrors(api).invoke('inventory:list', {});
    expect(result.ok).toBe(false);
    if (!result.ok) assertPlain(result.error.message);
  });
});
