// The one place AWS SDK clients get their configuration: region, credentials, profile and
// endpoint as the caller resolved them, and a request handler that goes through the process's
// proxy rule and trusted certificates (network/network-settings.ts) with timeouts, so a stalled
// endpoint cannot freeze a reconnect loop.
import type { SSMClientConfig } from '@aws-sdk/client-ssm';
import { networkAgent } from '../network/network-settings';

export type AwsCredentialsInput = SSMClientConfig['credentials'];

export interface AwsClientOptions {
  /** Empty or absent: the SDK's own resolution (AWS_REGION, profile config). */
  region?: string;
  /** Credentials or a provider; absent: the SDK's default chain. */
  credentials?: AwsCredentialsInput;
  /** Profile used for the SDK's own config lookups (region, endpoint_url in ~/.aws/config). */
  profile?: string;
  /**
   * Explicit endpoint URL. It wins over AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL and the
   * profile's endpoint_url, which the SDK honours on its own when this is absent.
   */
  endpoint?: string;
  /** The profile's `ca_bundle`: certificates trusted for this client besides AWS_CA_BUNDLE. */
  caBundle?: string;
  /** Endpoint settings already resolved for the profile, so the SDK does not read another's. */
  profileSettings?: {
    ignoreConfiguredEndpointUrls: boolean;
    useFipsEndpoint: boolean;
    useDualstackEndpoint: boolean;
  };
}

export const CONNECTION_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Request handler options; each client gets its own agent, as destroying a client destroys it. */
export function sdkRequestHandler(caBundle?: string) {
  // One agent per protocol, so neither has to work out which one a request is.
  return {
    httpAgent: networkAgent(caBundle, false),
    httpsAgent: networkAgent(caBundle, true),
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
  };
}

/** The configuration shared by every SDK client; spread it into the client's constructor. */
export function sdkClientConfig(options: AwsClientOptions = {}) {
  return {
    requestHandler: sdkRequestHandler(options.caBundle),
    // Client-side rate limiting after throttling, as the AWS CLI's adaptive mode: a wide
    // inventory over many accounts and regions backs off instead of retrying into the limit.
    retryMode: 'adaptive',
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...options.profileSettings,
  };
}
