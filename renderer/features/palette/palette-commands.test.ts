import { describe, expect, it } from 'vitest';
import { CommandRegistry, type KeyLike } from '../../app/commands';
import { PALETTE_COMMANDS, registerPaletteCommands } from './palette-commands';

function key(text: string, modifiers: Partial<KeyLike> = {}): KeyLike {
  return {
    key: text,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    metaKey: false,
    ...modifiers,
  };
}

describe('palette keys', () => {
  const registry = new CommandRegistry();
  registerPaletteCommands(registry, { open: () => undefined, focusSearch: () => undefined });
  const ctrlShiftP = key('P', { ctrlKey: true, shiftKey: true });
  const cmdShiftP = key('p', { metaKey: true, shiftKey: true });
  const ctrlK = key('k', { ctrlKey: true });
  const slash = key('/');

  it('opens with Ctrl/Cmd+Shift+P wherever the focus is, a terminal included', () => {
    for (const focus of ['other', 'text-input', 'terminal'] as const) {
      expect(registry.resolve(ctrlShiftP, focus)?.command).toBe(PALETTE_COMMANDS.open);
      expect(registry.resolve(cmdShiftP, focus)?.command).toBe(PALETTE_COMMANDS.open);
    }
    expect(registry.claimsTerminalKey(ctrlShiftP)).toBe(true);
  });

  it('opens with Ctrl+K only outside terminals and text fields (kill-line reaches the shell)', () => {
    expect(registry.resolve(ctrlK, 'other')?.command).toBe(PALETTE_COMMANDS.open);
    expect(registry.resolve(ctrlK, 'text-input')).toBeUndefined();
    expect(registry.claimsTerminalKey(ctrlK)).toBe(false);
  });

  it('takes / to the inventory search only outside terminals and text fields', () => {
    expect(registry.resolve(slash, 'other')?.command).toBe(PALETTE_COMMANDS.focusSearch);
    expect(registry.resolve(slash, 'text-input')).toBeUndefined();
    expect(registry.claimsTerminalKey(slash)).toBe(false);
  });

  it('leaves every key alone while a dialog (the palette itself) is open', () => {
    expect(registry.resolve(ctrlShiftP, 'dialog')).toBeUndefined();
  });
});
