// AWS clients for the inventory figures: one profile per sandbox account, each listing every region
// of the generated fleet, built as the app builds them (profiles, credential chain, client factory)
// over in-memory config files.

import { createCredentialResolver } from '../../../electron/core/aws/credentials';
import { loadProfiles } from '../../../electron/core/aws/profiles';
import { buildSources, createAwsClients } from '../../../electron/core/aws/sources';
import { createSsoAuth } from '../../../electron/core/aws/sso';
import { systemClock } from '../../../electron/core/base/clock';
import type { SandboxEndpoint } from './sandbox-host';

const VIRTUAL_HOME = 'airlock-bench-home';

/** Source ids and labels as the app's IPC names them. */
export const benchSourceNaming = {
  sourceIdOf: (profile: string) => `aws:${profile}`,
  labelOf: (profile: string) => profile,
};

/** What a process needs to reach the sandbox's accounts (the sandbox's own keys, not AWS ones). */
export type InventoryEndpoint = Pick<
  SandboxEndpoint,
  'endpoint' | 'region' | 'regions' | 'accounts'
>;

export async function inventoryClientsFor(sandbox: InventoryEndpoint) {
  const files: Record<string, string> = { config: '', credentials: '' };
  sandbox.accounts.forEach((account, index) => {
    files.config += `[profile a${index}]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.endpoint}\n`;
    files.credentials += `[a${index}]\naws_access_key_id = ${account.accessKeyId}\naws_secret_access_key = ${account.secretAccessKey}\n`;
  });
  const catalog = await loadProfiles({
    env: { HOME: VIRTUAL_HOME },
    homeDir: VIRTUAL_HOME,
    readFile: (file) => Promise.resolve(files[file.split(/[\\/]/).pop() ?? '']),
  });
  const sso = createSsoAuth({
    homeDir: VIRTUAL_HOME,
    clock: systemClock,
    openUrl: () => Promise.reject(new Error('the bench never logs in with SSO')),
  });
  const credentials = createCredentialResolver({ catalog, clock: systemClock, sso });
  const clients = createAwsClients({ catalog, credentials, interactive: false });
  const { sources, problems } = buildSources(
    catalog,
    sandbox.accounts.map((_, index) => ({ profile: `a${index}`, regions: [...sandbox.regions] })),
  );
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return {
    sources,
    clients,
    dispose() {
      clients.dispose();
      credentials.dispose();
      sso.dispose();
    },
  };
}
