import { describe, expect, it } from 'vitest';
import {
  apiRegionOf,
  homeRegionOf,
  partitionOfArn,
  partitionOfProfile,
  partitionOfRegion,
} from './partition';
import { loadProfiles, type AwsEnv } from './profiles';

describe('partitions', () => {
  it('knows each partition by its region names', () => {
    expect(partitionOfRegion('eu-west-1')).toBe('aws');
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOfRegion('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOfRegion('eu-isoe-west-1')).toBe('aws-iso-e');
    expect(partitionOfRegion('us-isof-south-1')).toBe('aws-iso-f');
    expect(partitionOfRegion('eusc-de-east-1')).toBe('aws-eusc');
  });

  it('reads the partition an ARN names, and nothing from anything else', () => {
    expect(partitionOfArn('arn:aws-us-gov:iam::123456789012:role/Ops')).toBe('aws-us-gov');
    expect(partitionOfArn('arn:aws-cn:iam::123456789012:user/alice')).toBe('aws-cn');
    expect(partitionOfArn('arn:aws:iam::123456789012:mfa/me')).toBe('aws');
    expect(partitionOfArn('arn:made-up:iam::1:role/x')).toBeUndefined();
    expect(partitionOfArn('GAHT12345678')).toBeUndefined();
    expect(partitionOfArn(undefined)).toBeUndefined();
  });

  it('has a home region in each partition', () => {
    expect(homeRegionOf('aws')).toBe('us-east-1');
    expect(homeRegionOf('aws-us-gov')).toBe('us-gov-west-1');
    expect(homeRegionOf('aws-cn')).toBe('cn-north-1');
    expect(partitionOfRegion(homeRegionOf('aws-iso-b'))).toBe('aws-iso-b');
  });
});

describe('the region for a profile without one', () => {
  const config = `
[profile gov-keys]
aws_access_key_id = AKIA
aws_secret_access_key = x
region = us-gov-east-1

[profile gov-role]
role_arn = arn:aws:iam::123456789012:role/NamedLater
source_profile = gov-keys
region = us-gov-west-1

[profile china-role]
role_arn = arn:aws-cn:iam::123456789012:role/Ops
source_profile = plain

[profile chained-to-gov]
role_arn = arn:made-up:iam::1:role/x
source_profile = gov-keys

[profile china-console]
login_session = arn:aws-cn:iam::123456789012:user/alice

[profile gov-sso]
sso_start_url = https://start.us-gov-home.awsapps.com/directory/x
sso_region = us-gov-west-1
sso_account_id = 123456789012
sso_role_name = Ops

[profile gov-mfa]
role_arn = arn:made-up:iam::1:role/x
mfa_serial = arn:aws-us-gov:iam::123456789012:mfa/me
source_profile = plain

[profile plain]
aws_access_key_id = AKIA
aws_secret_access_key = x
`;

  async function catalogWith(env: AwsEnv = {}) {
    return loadProfiles({
      env: { HOME: 'home', ...env },
      readFile: (path) => Promise.resolve(path.endsWith('config') ? config : undefined),
    });
  }

  it('follows the partition of its region, role, sign-in, Identity Center or source profile', async () => {
    const catalog = await catalogWith();
    expect(apiRegionOf(catalog, 'gov-keys')).toBe('us-gov-east-1');
    expect(apiRegionOf(catalog, 'gov-role')).toBe('us-gov-west-1');
    expect(apiRegionOf(catalog, 'china-role')).toBe('cn-north-1');
    expect(apiRegionOf(catalog, 'chained-to-gov')).toBe('us-gov-west-1');
    expect(apiRegionOf(catalog, 'china-console')).toBe('cn-north-1');
    expect(apiRegionOf(catalog, 'gov-sso')).toBe('us-gov-west-1');
    expect(apiRegionOf(catalog, 'gov-mfa')).toBe('us-gov-west-1');
    expect(apiRegionOf(catalog, 'plain')).toBe('us-east-1');
    expect(apiRegionOf(catalog, 'ghost')).toBe('us-east-1');
    expect(partitionOfProfile(catalog, 'chained-to-gov')).toBe('aws-us-gov');
  });

  it('for web identity from the environment, follows AWS_ROLE_ARN', async () => {
    const catalog = await catalogWith({
      AWS_ROLE_ARN: 'arn:aws-cn:iam::123456789012:role/Pod',
      AWS_WEB_IDENTITY_TOKEN_FILE: 'token-file',
    });
    expect(apiRegionOf(catalog, 'environment')).toBe('cn-north-1');
  });

  it('a region from the environment wins', async () => {
    const catalog = await catalogWith({ AWS_REGION: 'eu-central-1' });
    expect(apiRegionOf(catalog, 'china-role')).toBe('eu-central-1');
  });
});
