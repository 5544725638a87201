// The SDK clients of IAM Identity Center, one per region and endpoint: the OIDC service (client
// registration, device authorization, tokens) and the portal (role credentials).
import { SSOClient } from '@aws-sdk/client-sso';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { sdkClientConfig } from './client-config';
import type { SsoTarget } from './sso-target';

export class IdentityCenterClients {
  readonly #oidc = new Map<string, SSOOIDCClient>();
  readonly #portal = new Map<string, SSOClient>();

  oidc(target: SsoTarget): SSOOIDCClient {
    const endpoint = target.endpoints?.oidc;
    const key = `${target.region}|${endpoint ?? ''}`;
    let client = this.#oidc.get(key);
    if (!client) {
      client = new SSOOIDCClient(
        sdkClientConfig({ region: target.region, ...(endpoint !== undefined && { endpoint }) }),
      );
      this.#oidc.set(key, client);
    }
    return client;
  }

  portal(target: SsoTarget): SSOClient {
    const endpoint = target.endpoints?.portal;
    const key = `${target.region}|${endpoint ?? ''}`;
    let client = this.#portal.get(key);
    if (!client) {
      client = new SSOClient(
        sdkClientConfig({ region: target.region, ...(endpoint !== undefined && { endpoint }) }),
      );
      this.#portal.set(key, client);
    }
    return client;
  }

  dispose(): void {
    for (const client of this.#oidc.values()) client.destroy();
    for (const client of this.#portal.values()) client.destroy();
    this.#oidc.clear();
    this.#portal.clear();
  }
}
