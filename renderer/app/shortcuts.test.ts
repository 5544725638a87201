// Unit tests for the shortcut mapping: tab switching, positions, and keys that must reach the remote.
import { describe, expect, it } from 'vitest';
import { matchShortcut, type KeyLike } from './shortcuts';

function key(keyName: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: keyName, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods };
}

describe('matchShortcut', () => {
  it('switches tabs with Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+PageDown/PageUp', () => {
    expect(matchShortcut(key('Tab', { ctrlKey: true }))).toEqual({ type: 'next-tab' });
    expect(matchShortcut(key('Tab', { ctrlKey: true, shiftKey: true }))).toEqual({
      type: 'previous-tab',
    });
    expect(matchShortcut(key('PageDown', { ctrlKey: true }))).toEqual({ type: 'next-tab' });
    expect(matchShortcut(key('PageUp', { ctrlKey: true }))).toEqual({ type: 'previous-tab' });
  });

  it('maps Ctrl+1..9 (and Cmd on macOS) to tab positions, using the physical key', () => {
    expect(matchShortcut(key('1', { ctrlKey: true }))).toEqual({ type: 'tab-at', index: 0 });
    expect(matchShortcut(key('9', { metaKey: true }))).toEqual({ type: 'tab-at', index: 8 });
    // French layout: the 1 key types "&" but its code is still Digit1.
    expect(matchShortcut(key('&', { ctrlKey: true, code: 'Digit1' }))).toEqual({
      type: 'tab-at',
      index: 0,
    });
    expect(matchShortcut(key('0', { ctrlKey: true }))).toBeUndefined();
  });

  it('maps the Ctrl+Shift letters', () => {
    const ctrlShift = { ctrlKey: true, shiftKey: true };
    expect(matchShortcut(key('W', ctrlShift))).toEqual({ type: 'close-tab' });
    expect(matchShortcut(key('D', ctrlShift))).toEqual({ type: 'duplicate-tab' });
    expect(matchShortcut(key('F', ctrlShift))).toEqual({ type: 'find-in-terminal' });
    expect(matchShortcut(key('E', ctrlShift))).toEqual({ type: 'show-inventory' });
    // Ctrl+Shift+I stays with the developer tools.
    expect(matchShortcut(key('I', ctrlShift))).toBeUndefined();
    expect(matchShortcut(key('X', ctrlShift))).toBeUndefined();
  });

  it('leaves terminal keys alone: Ctrl+C, Ctrl+D, plain keys and AltGr characters', () => {
    expect(matchShortcut(key('c', { ctrlKey: true }))).toBeUndefined();
    expect(matchShortcut(key('d', { ctrlKey: true }))).toBeUndefined();
    expect(matchShortcut(key('1'))).toBeUndefined();
    expect(matchShortcut(key('Tab'))).toBeUndefined();
    // AltGr+7 on a German layout is "{" and arrives with Ctrl and Alt set.
    expect(
      matchShortcut(key('{', { ctrlKey: true, altKey: true, code: 'Digit7' })),
    ).toBeUndefined();
  });
});
