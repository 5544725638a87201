// The desktop app's network settings: proxy variables where the user set them, else the
// operating system's proxy settings and PAC through Chromium's resolver; the system trust store
// and AWS_CA_BUNDLE on top of Node's bundled roots (TLS-inspecting proxies sign with a company
// root that only the system store knows).
import { session } from 'electron';
import { toErrorMessage } from '../core/base/errors';
import type { Logger } from '../core/base/logger';
import { configureNetwork, readCaBundle, withSystemProxy } from '../core/network/network-settings';
import { nodeSystemCaPorts, systemCertificates } from '../core/platform/system-ca';

export async function configureDesktopNetwork(
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<void> {
  const extraCa = await systemCertificates(nodeSystemCaPorts(logger));
  const bundle = env.AWS_CA_BUNDLE?.trim();
  if (bundle) {
    try {
      extraCa.push(readCaBundle(bundle, 'AWS_CA_BUNDLE'));
    } catch (error) {
      logger.log('error', 'AWS_CA_BUNDLE is not used', { error: toErrorMessage(error) });
    }
  }
  configureNetwork({
    proxyFor: withSystemProxy(env, (url) => session.defaultSession.resolveProxy(url)),
    extraCa,
  });
}
