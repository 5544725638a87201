import { describe, expect, it } from 'vitest';
import { toErrorMessage } from './errors';

describe('toErrorMessage', () => {
  it('uses the message of an Error and of its subclasses', () => {
    expect(toErrorMessage(new Error('boom'))).toBe('boom');
    expect(toErrorMessage(new TypeError('bad type'))).toBe('bad type');
  });

  it('returns a thrown string as it is', () => {
    expect(toErrorMessage('plain text')).toBe('plain text');
  });

  it('uses the message of an Error-like object', () => {
    expect(toErrorMessage({ message: 'from a structured clone', code: 'X' })).toBe(
      'from a structured clone',
    );
  });

  it('describes other values without "[object Object]"', () => {
    expect(toErrorMessage({ code: 'ENOPE' })).toBe('{"code":"ENOPE"}');
    expect(toErrorMessage({})).toBe('unknown error (Object)');
    expect(toErrorMessage(Object.create(null))).toBe('unknown error (object)');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toErrorMessage(circular)).toBe('unknown error (Object)');
    class Odd {
      toString(): string {
        return 'odd thing';
      }
    }
    expect(toErrorMessage(new Odd())).toBe('odd thing');
  });

  it('describes primitives, null and undefined', () => {
    expect(toErrorMessage(42)).toBe('42');
    expect(toErrorMessage(false)).toBe('false');
    expect(toErrorMessage(10n)).toBe('10');
    expect(toErrorMessage(Symbol('s'))).toBe('Symbol(s)');
    expect(toErrorMessage(null)).toBe('null');
    expect(toErrorMessage(undefined)).toBe('undefined');
    expect(toErrorMessage(function named() {})).toBe('thrown function named');
  });
});
