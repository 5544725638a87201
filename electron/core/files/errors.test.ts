import { describe, expect, it } from 'vitest';
import { localError, remoteError } from './errors';

describe('transfer errors', () => {
  it('reads the remote tools\u2019 messages as plain causes', () => {
    expect(remoteError('base64: write error: No space left on device')).toMatchObject({
      code: 'disk-full',
    });
    expect(remoteError('sh: 1: cannot create /etc/x.part: Permission denied')).toMatchObject({
      code: 'permission',
    });
    expect(remoteError('/nope/x: No such file or directory')).toMatchObject({ code: 'missing' });
    // dash (the /bin/sh of Debian and Ubuntu instances) words a missing parent differently.
    expect(
      remoteError('/bin/sh: 21: cannot create /nope/x.part: Directory nonexistent'),
    ).toMatchObject({ code: 'missing' });
    expect(remoteError('/tmp: Is a directory')).toMatchObject({ code: 'is-directory' });
    const other = remoteError('something odd');
    expect(other.code).toBe('failed');
    expect(other.message).toContain('something odd');
  });

  it('reads the .NET and PowerShell messages of a Windows instance the same way', () => {
    expect(remoteError('There is not enough space on the disk.')).toMatchObject({
      code: 'disk-full',
    });
    expect(remoteError("Access to the path 'C:\\Windows\\x.part' is denied.")).toMatchObject({
      code: 'permission',
    });
    expect(remoteError("Could not find a part of the path 'C:\\nope\\x'.")).toMatchObject({
      code: 'missing',
    });
    expect(remoteError('Cannot create a file when that file already exists.')).toMatchObject({
      code: 'exists',
    });
  });

  it('maps local errnos the same way and names the path', () => {
    const full = localError(Object.assign(new Error('x'), { code: 'ENOSPC' }), '/d/f');
    expect(full).toMatchObject({ code: 'disk-full' });
    expect(full.message).toContain('/d/f');
    expect(localError(Object.assign(new Error('x'), { code: 'EACCES' }), '/d/f').code).toBe(
      'permission',
    );
    expect(localError(new Error('weird'), '/d/f').message).toBe('/d/f: weird');
  });
});
