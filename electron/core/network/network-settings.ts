// The process's network settings, which every AWS API client and data-channel WebSocket uses:
// the proxy rule (the environment's HTTPS_PROXY/NO_PROXY, or the desktop's system resolver)
// and the certificates trusted on top of Node's roots (AWS_CA_BUNDLE, a profile's ca_bundle).
// Process-wide like the environment they come from; composition roots may replace the rule.
import { readFileSync } from 'node:fs';
import { NetworkAgent, type ProxyRule } from './http-agent';
import {
  isLoopback,
  proxyFromEnvironment,
  proxyFromPacResult,
  readProxyEnvironment,
} from './proxy-rules';

export interface NetworkSettings {
  proxyFor: ProxyRule;
  /** PEM certificates every connection trusts besides Node's bundled roots. */
  extraCa: readonly string[];
}

/** A CA bundle file that could not be read: named with the setting it came from. */
export class CaBundleError extends Error {
  override readonly name = 'CaBundleError';
}

export function readCaBundle(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CaBundleError(`${setting} ${file} could not be read (${reason})`);
  }
}

/** The environment's rule: HTTPS_PROXY/HTTP_PROXY with NO_PROXY, either case. */
export function environmentProxyRule(env: NodeJS.ProcessEnv): ProxyRule {
  const proxies = readProxyEnvironment(env);
  return (url) => proxyFromEnvironment(url, proxies);
}

/**
 * Proxy variables win where they are set (the user chose them for this tool); otherwise the
 * system resolver decides (the OS settings and PAC, through Electron's session.resolveProxy).
 */
export function withSystemProxy(
  env: NodeJS.ProcessEnv,
  resolveSystemProxy: (url: string) => Promise<string>,
): ProxyRule {
  const proxies = readProxyEnvironment(env);
  return async (url) => {
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    const configured = secure ? proxies.httpsProxy : proxies.httpProxy;
    if (configured !== undefined || isLoopback(url)) return proxyFromEnvironment(url, proxies);
    return proxyFromPacResult(await resolveSystemProxy(url.href));
  };
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv): NetworkSettings {
  const bundle = env.AWS_CA_BUNDLE?.trim();
  return {
    proxyFor: environmentProxyRule(env),
    extraCa: bundle ? [readCaBundle(bundle, 'AWS_CA_BUNDLE')] : [],
  };
}

/**
 * Configures the process from `env` (browser mode and tests, whose environment is the app's); an
 * unreadable AWS_CA_BUNDLE is reported and left out rather than stopping the app.
 */
export function configureNetworkFromEnvironment(
  env: NodeJS.ProcessEnv,
  report: (error: CaBundleError) => void,
): void {
  try {
    configureNetwork(settingsFromEnvironment(env));
  } catch (error) {
    if (!(error instanceof CaBundleError)) throw error;
    report(error);
    configureNetwork({ proxyFor: environmentProxyRule(env), extraCa: [] });
  }
}

let configured: NetworkSettings | undefined;
/** The trusted list per profile `ca_bundle`, the same array each time so its TLS context is reused. */
const profileTrust = new WeakMap<NetworkSettings, Map<string, readonly string[]>>();

/** Replaces the settings (the desktop app adds the system resolver and trust store). */
export function configureNetwork(settings: NetworkSettings): void {
  configured = settings;
}

function currentSettings(): NetworkSettings {
  // Read on first use, so the desktop launch's login-shell environment is in place by then.
  configured ??= settingsFromEnvironment(process.env);
  return configured;
}

function trustFor(settings: NetworkSettings, caBundle: string): readonly string[] {
  let byBundle = profileTrust.get(settings);
  if (!byBundle) {
    byBundle = new Map();
    profileTrust.set(settings, byBundle);
  }
  let trust = byBundle.get(caBundle);
  if (!trust) {
    trust = [...settings.extraCa, readCaBundle(caBundle, 'ca_bundle')];
    byBundle.set(caBundle, trust);
  }
  return trust;
}

/**
 * A new agent for connections made on behalf of a profile with this `ca_bundle` (none: the
 * process's own trust). Each SDK client gets its own, because destroying a client destroys its
 * agent and with it every socket the agent holds; their TLS context is shared.
 */
export function networkAgent(caBundle?: string, secure?: boolean): NetworkAgent {
  const settings = currentSettings();
  const extraCa = caBundle ? trustFor(settings, caBundle) : settings.extraCa;
  return new NetworkAgent({
    proxyFor: settings.proxyFor,
    extraCa,
    ...(secure !== undefined && { secure }),
  });
}
