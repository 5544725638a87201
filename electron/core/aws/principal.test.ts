import { describe, expect, it } from 'vitest';
import { isOwnedBy, ownerPrincipal } from './principal';

const USER = 'arn:aws:iam::111122223333:user/alice';
const ROLE_NOW = 'arn:aws:sts::111122223333:assumed-role/Developer/alice@example.com';

describe('isOwnedBy', () => {
  it('matches an IAM user by its exact ARN only', () => {
    expect(isOwnedBy(USER, USER)).toBe(true);
    expect(isOwnedBy('arn:aws:iam::111122223333:user/alicia', USER)).toBe(false);
    expect(isOwnedBy('arn:aws:iam::444455556666:user/alice', USER)).toBe(false);
  });

  it('matches an assumed role whatever the role session name', () => {
    expect(isOwnedBy(ROLE_NOW, ROLE_NOW)).toBe(true);
    expect(
      isOwnedBy('arn:aws:sts::111122223333:assumed-role/Developer/botocore-1700', ROLE_NOW),
    ).toBe(true);
    expect(
      isOwnedBy('arn:aws:sts::111122223333:assumed-role/Admin/alice@example.com', ROLE_NOW),
    ).toBe(false);
    expect(isOwnedBy('arn:aws:sts::999988887777:assumed-role/Developer/alice', ROLE_NOW)).toBe(
      false,
    );
    expect(isOwnedBy(USER, ROLE_NOW)).toBe(false);
  });

  it('keeps the partition and never matches an empty owner or caller', () => {
    expect(ownerPrincipal('arn:aws-cn:sts::111122223333:assumed-role/R/s')).toEqual({
      kind: 'role',
      match: 'arn:aws-cn:sts::111122223333:assumed-role/R/',
    });
    expect(isOwnedBy('', USER)).toBe(false);
    expect(isOwnedBy(USER, '')).toBe(false);
  });
});
