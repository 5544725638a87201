// Unit tests for the shell's commands and bindings: tab switching, positions, the keys a terminal
// hands to the app, and the keys that must reach the remote shell.
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { CommandRegistry, type KeyLike } from './commands';
import { APP_KEYBINDINGS, COMMANDS, SHORTCUT_HELP, registerAppCommands } from './shortcuts';
import type { AppState, AppStore, View } from './store';
import type { TabsState, TabsStore } from '../features/terminals/store';

function key(keyName: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: keyName, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods };
}

/** The parts of the app and tabs stores the commands use, recording what they were asked. */
function setup(options: { tabs: number; view: View; groups?: TabsState['groups'] }) {
  const calls: string[] = [];
  const app = createStore<Pick<AppState, 'view' | 'show'>>()((set) => ({
    view: options.view,
    show: (view) => {
      calls.push(`show ${view}`);
      set({ view });
    },
  })) as unknown as AppStore;
  const keys = Array.from({ length: options.tabs }, (_, i) => `t${i + 1}`);
  const tabs = createStore<
    Pick<
      TabsState,
      | 'tabs'
      | 'activeKey'
      | 'activateNext'
      | 'activatePrevious'
      | 'activateIndex'
      | 'close'
      | 'duplicate'
      | 'groups'
      | 'moveBy'
      | 'focusPane'
    >
  >()(() => ({
    tabs: keys.map((k) => ({ key: k })) as unknown as TabsState['tabs'],
    activeKey: keys[0],
    groups: options.groups ?? {},
    moveBy: (k, step) => calls.push(`move ${k} ${step}`),
    focusPane: (direction, step) => calls.push(`focus ${direction} ${step}`) > 0,
    activateNext: () => calls.push('next'),
    activatePrevious: () => calls.push('previous'),
    activateIndex: (index) => calls.push(`index ${index}`),
    close: (k) => calls.push(`close ${k}`),
    duplicate: (k) => {
      calls.push(`duplicate ${k}`);
      return { ok: true, key: `${k}-copy`, started: Promise.resolve() };
    },
  })) as unknown as TabsStore;
  const registry = new CommandRegistry();
  const dispose = registerAppCommands(registry, { app, tabs });
  return { registry, calls, dispose };
}

function fire(
  registry: CommandRegistry,
  init: KeyboardEventInit,
  target: EventTarget = document.body,
) {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  const stop = registry.listen(window);
  target.dispatchEvent(event);
  stop();
  return event.defaultPrevented;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('the shell commands', () => {
  it('switches tabs with Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+PageDown/PageUp, showing the terminals', () => {
    const { registry, calls } = setup({ tabs: 2, view: 'inventory' });
    expect(fire(registry, { key: 'Tab', ctrlKey: true })).toBe(true);
    fire(registry, { key: 'Tab', ctrlKey: true, shiftKey: true });
    fire(registry, { key: 'PageDown', ctrlKey: true });
    fire(registry, { key: 'PageUp', ctrlKey: true });
    expect(calls).toEqual([
      'next',
      'show terminals',
      'previous',
      'show terminals',
      'next',
      'show terminals',
      'previous',
      'show terminals',
    ]);
  });

  it('maps Ctrl+1..9 (and Cmd on macOS) to tab positions, using the physical key', () => {
    const { registry, calls } = setup({ tabs: 3, view: 'terminals' });
    fire(registry, { key: '1', code: 'Digit1', ctrlKey: true });
    fire(registry, { key: '9', code: 'Digit9', metaKey: true });
    // French layout: the 1 key types "&" but its code is still Digit1.
    fire(registry, { key: '&', code: 'Digit1', ctrlKey: true });
    expect(fire(registry, { key: '0', code: 'Digit0', ctrlKey: true })).toBe(false);
    expect(calls.filter((call) => call.startsWith('index'))).toEqual([
      'index 0',
      'index 8',
      'index 0',
    ]);
  });

  it('leaves tab keys alone when there are no tabs', () => {
    const { registry, calls } = setup({ tabs: 0, view: 'inventory' });
    expect(fire(registry, { key: 'Tab', ctrlKey: true })).toBe(false);
    expect(calls).toEqual([]);
  });

  it('closes and duplicates the active tab only on the terminals view; Ctrl+Shift+E shows the inventory', () => {
    const elsewhere = setup({ tabs: 1, view: 'inventory' });
    expect(fire(elsewhere.registry, { key: 'W', ctrlKey: true, shiftKey: true })).toBe(false);
    const { registry, calls } = setup({ tabs: 1, view: 'terminals' });
    fire(registry, { key: 'W', ctrlKey: true, shiftKey: true });
    fire(registry, { key: 'D', ctrlKey: true, shiftKey: true });
    fire(registry, { key: 'E', ctrlKey: true, shiftKey: true });
    // Ctrl+Shift+I stays with the developer tools.
    expect(fire(registry, { key: 'I', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(calls).toEqual(['close t1', 'duplicate t1', 'show inventory']);
  });

  it('hands the shortcuts to the app from a terminal, and everything else to the terminal', () => {
    const { registry } = setup({ tabs: 2, view: 'terminals' });
    expect(registry.claimsTerminalKey(key('Tab', { ctrlKey: true }))).toBe(true);
    expect(registry.claimsTerminalKey(key('2', { ctrlKey: true, code: 'Digit2' }))).toBe(true);
    expect(registry.claimsTerminalKey(key('W', { ctrlKey: true, shiftKey: true }))).toBe(true);
    // Shell keys: interrupt, EOF, kill-line, delete-word, search, and plain characters.
    for (const shellKey of [
      key('c', { ctrlKey: true }),
      key('d', { ctrlKey: true }),
      key('k', { ctrlKey: true }),
      key('w', { ctrlKey: true }),
      key('r', { ctrlKey: true }),
      key('/'),
      key('1'),
      key('Tab'),
      // AltGr+7 on a German layout is "{" and arrives with Ctrl and Alt set.
      key('{', { ctrlKey: true, altKey: true, code: 'Digit7' }),
    ]) {
      expect(registry.claimsTerminalKey(shellKey)).toBe(false);
    }
  });

  it('moves the tab with Ctrl+Shift+PageUp/PageDown, the focus between panes only while split', () => {
    const plain = setup({ tabs: 2, view: 'terminals' });
    const right = key('ArrowRight', { ctrlKey: true, shiftKey: true });
    expect(plain.registry.claimsTerminalKey(right)).toBe(false);
    fire(plain.registry, { key: 'PageDown', ctrlKey: true, shiftKey: true });
    fire(plain.registry, { key: 'PageUp', ctrlKey: true, shiftKey: true });
    expect(plain.calls).toEqual(['move t1 1', 'move t1 -1']);

    const split = setup({
      tabs: 2,
      view: 'terminals',
      groups: { t1: { direction: 'row', keys: ['t1', 't2'] } },
    });
    expect(split.registry.claimsTerminalKey(right)).toBe(true);
    // Nothing to the left of the first pane, nothing above or below in a side-by-side split.
    expect(fire(split.registry, { key: 'ArrowLeft', ctrlKey: true, shiftKey: true })).toBe(false);
    expect(fire(split.registry, { key: 'ArrowDown', ctrlKey: true, shiftKey: true })).toBe(false);
    fire(split.registry, { key: 'ArrowRight', ctrlKey: true, shiftKey: true });
    expect(split.calls).toEqual(['focus row 1']);
  });

  it('runs the views and tabs from buttons by id, and removes everything on dispose', () => {
    const { registry, calls, dispose } = setup({ tabs: 1, view: 'inventory' });
    expect(registry.run(COMMANDS.show('sessions'))).toBe(true);
    expect(calls).toEqual(['show sessions']);
    dispose();
    expect(registry.has(COMMANDS.show('sessions'))).toBe(false);
    expect(registry.keybindings()).toEqual([]);
  });

  it('names every binding in the shortcut help', () => {
    const help = SHORTCUT_HELP.map(([keys]) => keys).join(' / ');
    for (const binding of APP_KEYBINDINGS) {
      const inRange = /^Ctrl\+[2-7]$/.test(binding.key) && help.includes('Ctrl+1 … Ctrl+8');
      expect(inRange || help.split(' / ').some((k) => k.split(' … ').includes(binding.key))).toBe(
        true,
      );
    }
  });
});
