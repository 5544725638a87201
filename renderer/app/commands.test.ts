// Unit tests for the command registry: key chords, focus contexts, the one dispatcher, and the
// guarantee that shell keys (Ctrl+K, Ctrl+W, `/`) reach a focused terminal.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CommandRegistry,
  chordMatches,
  focusContextOf,
  parseChord,
  type KeyLike,
} from './commands';

function key(keyName: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: keyName, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('key chords', () => {
  it('parses modifiers and keys, and refuses what it cannot read', () => {
    expect(parseChord('Ctrl+Shift+F')).toEqual({ ctrl: true, shift: true, alt: false, key: 'f' });
    expect(parseChord('F2')).toEqual({ ctrl: false, shift: false, alt: false, key: 'F2' });
    expect(parseChord('Ctrl++')).toEqual({ ctrl: true, shift: false, alt: false, key: '+' });
    expect(() => parseChord('Hyper+K')).toThrow(/unknown hyper/);
  });

  it('matches Ctrl as Cmd too, letters in either case, and Shift exactly', () => {
    const chord = parseChord('Ctrl+Shift+F');
    expect(chordMatches(chord, key('F', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(chordMatches(chord, key('f', { metaKey: true, shiftKey: true }))).toBe(true);
    expect(chordMatches(chord, key('f', { ctrlKey: true }))).toBe(false);
    expect(chordMatches(parseChord('Ctrl+F'), key('F', { ctrlKey: true, shiftKey: true }))).toBe(
      false,
    );
  });

  it('matches digits by the physical key and never matches AltGr characters', () => {
    const chord = parseChord('Ctrl+1');
    expect(chordMatches(chord, key('&', { ctrlKey: true, code: 'Digit1' }))).toBe(true);
    expect(chordMatches(chord, key('1', { ctrlKey: true, code: 'Numpad1' }))).toBe(true);
    expect(chordMatches(chord, key('1', { ctrlKey: true, altKey: true, code: 'Digit1' }))).toBe(
      false,
    );
  });

  it('matches punctuation whatever Shift it took to type it', () => {
    // `/` is Shift+7 on a German layout.
    expect(chordMatches(parseChord('/'), key('/', { shiftKey: true, code: 'Digit7' }))).toBe(true);
    expect(chordMatches(parseChord('/'), key('/'))).toBe(true);
    expect(chordMatches(parseChord('/'), key('/', { ctrlKey: true }))).toBe(false);
  });
});

describe('focusContextOf', () => {
  it("tells the terminal's textarea, text fields and everything else apart", () => {
    const xterm = document.createElement('div');
    xterm.className = 'xterm';
    const helper = document.createElement('textarea');
    helper.className = 'xterm-helper-textarea';
    xterm.append(helper);
    const search = document.createElement('input');
    search.type = 'search';
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    document.body.append(xterm, search, checkbox, editable);

    const dialog = document.createElement('div');
    dialog.setAttribute('aria-modal', 'true');
    const field = document.createElement('input');
    dialog.append(field);
    document.body.append(dialog);

    expect(focusContextOf(helper)).toBe('terminal');
    expect(focusContextOf(field)).toBe('dialog');
    expect(focusContextOf(search)).toBe('text-input');
    expect(focusContextOf(document.createElement('textarea'))).toBe('text-input');
    expect(focusContextOf(document.createElement('select'))).toBe('text-input');
    expect(focusContextOf(checkbox)).toBe('other');
    expect(focusContextOf(document.createElement('button'))).toBe('other');
    expect(focusContextOf(window)).toBe('other');
    expect(focusContextOf(null)).toBe('other');
  });
});

/** A registry with one counting command per binding, as the tests below need. */
function registryWith(
  bindings: readonly {
    key: string;
    terminal: boolean;
    text: boolean;
    enabled?: () => boolean;
  }[],
) {
  const registry = new CommandRegistry();
  const runs: string[] = [];
  bindings.forEach((binding, index) => {
    const id = `test.${index}`;
    registry.registerCommand({
      id,
      title: binding.key,
      run: () => runs.push(binding.key),
      ...(binding.enabled ? { when: binding.enabled } : {}),
    });
    registry.registerKeybinding({
      key: binding.key,
      command: id,
      whenTerminalFocused: binding.terminal,
      whenTextInputFocused: binding.text,
    });
  });
  return { registry, runs };
}

function focusTerminal(): HTMLTextAreaElement {
  const xterm = document.createElement('div');
  xterm.className = 'xterm';
  const helper = document.createElement('textarea');
  helper.className = 'xterm-helper-textarea';
  xterm.append(helper);
  document.body.append(xterm);
  helper.focus();
  return helper;
}

function press(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('CommandRegistry', () => {
  it('runs commands by id only while they are enabled, and refuses duplicate ids', () => {
    let enabled = false;
    const { registry, runs } = registryWith([
      { key: 'F2', terminal: false, text: false, enabled: () => enabled },
    ]);
    expect(registry.run('test.0')).toBe(false);
    enabled = true;
    expect(registry.enabled('test.0')).toBe(true);
    expect(registry.run('test.0')).toBe(true);
    expect(registry.run('no.such.command')).toBe(false);
    expect(runs).toEqual(['F2']);
    expect(() => registry.registerCommand({ id: 'test.0', title: 'again', run: () => {} })).toThrow(
      /registered twice/,
    );
  });

  it('dispatches from one window listener, consuming only keys that ran a command', () => {
    const { registry, runs } = registryWith([{ key: 'Ctrl+Shift+F', terminal: true, text: true }]);
    const stop = registry.listen(window);
    const button = document.createElement('button');
    document.body.append(button);
    const bound = press(button, { key: 'F', ctrlKey: true, shiftKey: true });
    const unbound = press(button, { key: 'c', ctrlKey: true });
    stop();
    const afterStop = press(button, { key: 'F', ctrlKey: true, shiftKey: true });
    expect(runs).toEqual(['Ctrl+Shift+F']);
    expect(bound.defaultPrevented).toBe(true);
    expect(unbound.defaultPrevented).toBe(false);
    expect(afterStop.defaultPrevented).toBe(false);
  });

  it('leaves a key to whoever handled it first', () => {
    const { registry, runs } = registryWith([{ key: 'Ctrl+Shift+F', terminal: true, text: true }]);
    const stop = registry.listen(window);
    const input = document.createElement('input');
    input.addEventListener('keydown', (event) => event.preventDefault());
    document.body.append(input);
    press(input, { key: 'F', ctrlKey: true, shiftKey: true });
    stop();
    expect(runs).toEqual([]);
  });

  it('keeps bindings out of text fields and terminals unless they say otherwise', () => {
    const { registry, runs } = registryWith([
      { key: 'F2', terminal: false, text: false },
      { key: 'F3', terminal: false, text: true },
      { key: 'F4', terminal: true, text: false },
    ]);
    const stop = registry.listen(window);
    const input = document.createElement('input');
    document.body.append(input);
    for (const name of ['F2', 'F3', 'F4']) press(input, { key: name });
    const terminal = focusTerminal();
    for (const name of ['F2', 'F3', 'F4']) press(terminal, { key: name });
    for (const name of ['F2', 'F3', 'F4']) press(document.body, { key: name });
    stop();
    expect(runs).toEqual(['F3', 'F4', 'F2', 'F3', 'F4']);
  });

  it('fires no binding while a modal dialog has the focus', () => {
    const { registry, runs } = registryWith([{ key: 'Ctrl+Tab', terminal: true, text: true }]);
    const stop = registry.listen(window);
    const dialog = document.createElement('div');
    dialog.setAttribute('aria-modal', 'true');
    const button = document.createElement('button');
    dialog.append(button);
    document.body.append(dialog);
    expect(press(button, { key: 'Tab', ctrlKey: true }).defaultPrevented).toBe(false);
    stop();
    expect(runs).toEqual([]);
  });

  it('lets Ctrl+K, Ctrl+W and / reach a focused terminal even when the app binds them', () => {
    const { registry, runs } = registryWith([
      { key: 'Ctrl+K', terminal: false, text: false },
      { key: 'Ctrl+W', terminal: false, text: true },
      { key: '/', terminal: false, text: false },
    ]);
    const stop = registry.listen(window);
    const terminal = focusTerminal();
    const shellKeys: KeyboardEventInit[] = [
      { key: 'k', ctrlKey: true },
      { key: 'w', ctrlKey: true },
      { key: '/' },
    ];
    for (const init of shellKeys) {
      expect(registry.claimsTerminalKey(key(init.key!, init))).toBe(false);
      expect(press(terminal, init).defaultPrevented).toBe(false);
    }
    // Elsewhere the same keys do run their commands.
    for (const init of shellKeys) press(document.body, init);
    stop();
    expect(runs).toEqual(['Ctrl+K', 'Ctrl+W', '/']);
  });

  it('does not claim a terminal key whose command cannot run now', () => {
    let tabs = 0;
    const { registry } = registryWith([
      { key: 'Ctrl+Tab', terminal: true, text: true, enabled: () => tabs > 0 },
    ]);
    expect(registry.claimsTerminalKey(key('Tab', { ctrlKey: true }))).toBe(false);
    tabs = 1;
    expect(registry.claimsTerminalKey(key('Tab', { ctrlKey: true }))).toBe(true);
    expect(registry.keybindings().map((binding) => binding.key)).toEqual(['Ctrl+Tab']);
  });
});
