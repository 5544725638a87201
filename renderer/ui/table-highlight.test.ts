// The grid keys a table answers and the moves they ask for.
import { describe, expect, it } from 'vitest';
import { moveForKey } from './table-highlight';

describe('moveForKey', () => {
  it('steps one row with the arrows and a page with Page Up/Down', () => {
    expect(moveForKey('ArrowDown', 12)).toBe(1);
    expect(moveForKey('ArrowUp', 12)).toBe(-1);
    expect(moveForKey('PageDown', 12)).toBe(12);
    expect(moveForKey('PageUp', 12)).toBe(-12);
  });

  it('jumps to the ends with Home and End', () => {
    expect(moveForKey('Home', 12)).toBe('first');
    expect(moveForKey('End', 12)).toBe('last');
  });

  it('leaves other keys alone, Enter included', () => {
    expect(moveForKey('Enter', 12)).toBeUndefined();
    expect(moveForKey('a', 12)).toBeUndefined();
    expect(moveForKey('toString', 12)).toBeUndefined();
  });
});
