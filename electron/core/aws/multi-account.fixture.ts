// A two-account Local sandbox fleet and an AWS home with every profile kind pointed at it, shared
// by the credential, sources and app integration tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ACCOUNT_A = '111111111111';
export const ACCOUNT_B = '222222222222';
export const ALICE = {
  id: 'AKIAALICE00000000001',
  secret: 'alice-secret-0000000000000000000000000',
};
export const BOB = {
  id: 'AKIABOB0000000000001',
  secret: 'bob-secret-00000000000000000000000000000',
};
export const START_URL = 'https://sandbox.awsapps.com/start';

function instances(account: string, region: string, count: number, prefix: string) {
  return Array.from({ length: count }, (_, n) => ({
    instanceId: `i-${prefix}${region === 'us-east-1' ? '1' : '2'}${String(n).padStart(15, '0')}`,
    name: `${prefix === 'a' ? 'alpha' : 'bravo'}-${region}-${n}`,
    tags: { Env: n % 2 === 0 ? 'prod' : 'dev' },
    account,
    region,
  }));
}

export const SANDBOX_TEST_FLEET = {
  defaultRegion: 'us-east-1',
  accounts: [
    {
      accountId: ACCOUNT_A,
      users: [{ userName: 'alice', accessKeyId: ALICE.id, secretAccessKey: ALICE.secret }],
    },
    {
      accountId: ACCOUNT_B,
      users: [
        {
          userName: 'bob',
          accessKeyId: BOB.id,
          secretAccessKey: BOB.secret,
          deniedRegions: ['eu-west-1'],
        },
      ],
    },
  ],
  instances: [
    ...instances(ACCOUNT_A, 'us-east-1', 7, 'a'),
    ...instances(ACCOUNT_A, 'eu-west-1', 3, 'a'),
    ...instances(ACCOUNT_B, 'us-east-1', 4, 'b'),
    ...instances(ACCOUNT_B, 'eu-west-1', 2, 'b'),
  ],
};

/** Writes ~/.aws/config and ~/.aws/credentials with every profile kind pointed at `endpoint`. */
export async function writeAwsHome(home: string, endpoint: string): Promise<void> {
  await mkdir(join(home, '.aws'), { recursive: true });
  const script = join(home, 'creds.cjs');
  await writeFile(
    script,
    `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(ALICE.id)}, SecretAccessKey: ${JSON.stringify(ALICE.secret)} }));\n`,
  );
  const config = `[default]
region = us-east-1
endpoint_url = ${endpoint}

[profile bob]
region = us-east-1
endpoint_url = ${endpoint}

[profile admin]
role_arn = arn:aws:iam::${ACCOUNT_B}:role/admin-mfa
source_profile = default
mfa_serial = arn:aws:iam::${ACCOUNT_A}:mfa/alice
region = us-east-1
endpoint_url = ${endpoint}

[profile corp]
sso_session = corp
sso_account_id = ${ACCOUNT_B}
sso_role_name = ReadOnlyAccess
region = us-east-1
endpoint_url = ${endpoint}

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile proc]
credential_process = "${process.execPath}" "${script}"
region = us-east-1
endpoint_url = ${endpoint}

[profile broken
region = us-east-1
`;
  const credentials = `[default]
aws_access_key_id = ${ALICE.id}
aws_secret_access_key = ${ALICE.secret}

[bob]
aws_access_key_id = ${BOB.id}
aws_secret_access_key = ${BOB.secret}
`;
  await writeFile(join(home, '.aws', 'config'), config);
  await writeFile(join(home, '.aws', 'credentials'), credentials);
}
