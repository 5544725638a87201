// An AWS home for the sandbox organisation (fleet-organisation.ts): ~/.aws/config with one profile
// on its sso-session, pointed at the sandbox, for the integration tests.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ORG_SESSION, ORG_START_URL, orgAccountId } from './fleet-organisation';

export * from './fleet-organisation';

/**
 * ~/.aws/config with one profile on the organisation's sso-session (account 1, ReadOnlyAccess),
 * pointed at the sandbox. No credentials file: discovery must not need one.
 */
export async function writeOrgAwsHome(home: string, endpoint: string): Promise<string> {
  await mkdir(join(home, '.aws'), { recursive: true });
  const config = join(home, '.aws', 'config');
  await writeFile(
    config,
    `[default]
sso_session = ${ORG_SESSION}
sso_account_id = ${orgAccountId(1)}
sso_role_name = ReadOnlyAccess
region = us-east-1
endpoint_url = ${endpoint}

[sso-session ${ORG_SESSION}]
sso_start_url = ${ORG_START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
`,
  );
  return config;
}
