import { describe, expect, it } from 'vitest';
import { chooseSshUser, isLoginName, sshUserTagOf } from './ssh-user';

describe('chooseSshUser', () => {
  it('takes --user over everything else', () => {
    expect(
      chooseSshUser({ option: 'admin', tag: 'ubuntu', variable: 'me', profile: 'corp' }),
    ).toEqual({ user: 'admin', origin: 'option' });
  });

  it("takes the instance's tag over the user's general defaults", () => {
    expect(chooseSshUser({ tag: 'ubuntu', variable: 'me', profile: 'corp' })).toEqual({
      user: 'ubuntu',
      origin: 'tag',
    });
  });

  it('takes AIRLOCK_SSH_USER over the profile setting, as environment beats config', () => {
    expect(chooseSshUser({ variable: 'me', profile: 'corp' })).toEqual({
      user: 'me',
      origin: 'variable',
    });
    expect(chooseSshUser({ variable: '', profile: 'corp' })).toEqual({
      user: 'corp',
      origin: 'profile',
    });
  });

  it('falls back to ec2-user', () => {
    expect(chooseSshUser({})).toEqual({ user: 'ec2-user', origin: 'default' });
  });

  it('passes over a tag that is not a login name, so it never reaches ssh', () => {
    expect(chooseSshUser({ tag: 'x -oProxyCommand=evil', profile: 'corp' })).toEqual({
      user: 'corp',
      origin: 'profile',
    });
    expect(chooseSshUser({ tag: '  ubuntu ' }).user).toBe('ubuntu');
  });
});

describe('isLoginName', () => {
  it('accepts the names useradd accepts and refuses the rest', () => {
    expect(['ec2-user', 'ubuntu', '_svc', 'a.b@corp'].every(isLoginName)).toBe(true);
    expect(['', '-x', 'a b', 'x'.repeat(33), 'a;b'].some(isLoginName)).toBe(false);
  });
});

describe('sshUserTagOf', () => {
  it("reads the tag in the SDK's and the app's shapes", () => {
    expect(
      sshUserTagOf([
        { Key: 'Name', Value: 'web' },
        { Key: 'airlock:ssh-user', Value: 'ubuntu' },
      ]),
    ).toBe('ubuntu');
    expect(sshUserTagOf([{ key: 'airlock:ssh-user', value: 'admin' }])).toBe('admin');
    expect(sshUserTagOf([{ key: 'Name', value: 'web' }])).toBeUndefined();
  });
});
