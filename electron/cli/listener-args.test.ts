import { describe, expect, it } from 'vitest';
import { ForwardUsageError, parseListenerArgs } from './listener-args';

describe('parseListenerArgs', () => {
  it('reads the shared options in both spellings and keeps the rest in order', () => {
    expect(
      parseListenerArgs(['web', '--profile=work', '--region', 'eu-west-1', '5432:5432'], 'forward'),
    ).toEqual({
      positional: ['web', '5432:5432'],
      bindAddress: '127.0.0.1',
      allInterfaces: false,
      profile: 'work',
      region: 'eu-west-1',
    });
  });

  it("hands a command's own options to it, and refuses options nobody knows", () => {
    const seen: string[] = [];
    const own = (flag: string, value: () => string) => {
      if (flag !== '--port') return false;
      seen.push(value());
      return true;
    };
    expect(parseListenerArgs(['--port', '1081', 'i-0abc'], 'proxy', own)).toMatchObject({
      positional: ['i-0abc'],
    });
    expect(seen).toEqual(['1081']);
    expect(() => parseListenerArgs(['--colour', 'i-0abc'], 'proxy', own)).toThrow(
      'unknown option --colour',
    );
    expect(() => parseListenerArgs(['--profile='], 'proxy')).toThrow('--profile needs a value');
  });

  it('binds beyond loopback only with --all-interfaces, naming what would be exposed', () => {
    expect(() => parseListenerArgs(['--bind', '0.0.0.0', 'web'], 'proxy')).toThrow(
      /expose the proxy to other computers; add --all-interfaces/,
    );
    expect(() => parseListenerArgs(['--bind', 'localhost', 'web'], 'proxy')).toThrow(
      ForwardUsageError,
    );
    expect(
      parseListenerArgs(['--bind', '0.0.0.0', '--all-interfaces', 'web'], 'proxy'),
    ).toMatchObject({ bindAddress: '0.0.0.0', allInterfaces: true });
    expect(parseListenerArgs(['--bind', '127.0.0.2', '-h'], 'proxy')).toBe('help');
  });
});
