import { describe, expect, it } from 'vitest';
import { CpUsageError, parseCpArgs, parseRemoteSpec } from './cp-args';

describe('airlock cp arguments', () => {
  it('tells the instance side from local paths', () => {
    expect(parseRemoteSpec('i-0123:/tmp/x')).toEqual({ target: 'i-0123', path: '/tmp/x' });
    expect(parseRemoteSpec('web-1:')).toEqual({ target: 'web-1', path: '~' });
    expect(parseRemoteSpec('C:\\Users\\me')).toBeUndefined();
    expect(parseRemoteSpec('./a:b')).toBeUndefined();
    expect(parseRemoteSpec('/abs/a:b')).toBeUndefined();
  });

  it('parses an upload and a recursive download with options', () => {
    expect(parseCpArgs(['file.bin', 'i-1234:/tmp/'])).toMatchObject({
      direction: 'upload',
      local: 'file.bin',
      remote: { target: 'i-1234', path: '/tmp/' },
      recursive: false,
      force: false,
    });
    expect(
      parseCpArgs(['-r', '--force', '--profile', 'p', '--region', 'r', 'web:logs', 'out']),
    ).toMatchObject({
      direction: 'download',
      local: 'out',
      recursive: true,
      force: true,
      profile: 'p',
      region: 'r',
    });
    expect(parseCpArgs(['--help'])).toBe('help');
  });

  it('refuses two local or two remote sides and unknown options', () => {
    expect(() => parseCpArgs(['a', 'b'])).toThrow(CpUsageError);
    expect(() => parseCpArgs(['i-1:a', 'i-2:b'])).toThrow(/only one side/);
    expect(() => parseCpArgs(['--bogus', 'a', 'i-1:b'])).toThrow(/unknown option/);
    expect(() => parseCpArgs(['a'])).toThrow(/exactly one SRC/);
  });
});
