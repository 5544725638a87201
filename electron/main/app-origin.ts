// The renderer's private origin (app://airlock) and the checks that a URL or frame belongs to it.

export const APP_SCHEME = 'app';
export const APP_HOST = 'airlock';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for URLs of our own renderer; anything else (file:, http:, devtools:, data:) is foreign. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The part of an Electron WebFrameMain the IPC trust check needs. */
export interface FrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** IPC is accepted from the top frame of our own page only, never from iframes or other pages. */
export function isTrustedFrame(frame: FrameLike | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Links the UI may hand to the system browser (xterm's web-links addon, help links). */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** AWS documentation, the console and Identity Center's device sign-in page: opened without asking. */
const TRUSTED_LINK_HOSTS: readonly RegExp[] = [
  /^docs\.aws\.amazon\.com$/,
  /^(?:[a-z0-9-]+\.)?console\.aws\.amazon\.com$/,
  /^device\.sso\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/,
  // Identity Center's authorization-code sign-in page (/authorize on the OIDC endpoint).
  /^oidc\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/,
];

/**
 * What to do with a link the app would hand to the system browser: open an https link to an
 * allowed AWS host, ask the user about any other http(s) link (it may come from a terminal's output
 * or a configured endpoint), refuse everything else.
 */
export function externalLinkAction(url: string): 'open' | 'ask' | 'refuse' {
  if (!isExternalLink(url)) return 'refuse';
  const parsed = new URL(url);
  const trusted =
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    TRUSTED_LINK_HOSTS.some((host) => host.test(parsed.hostname));
  return trusted ? 'open' : 'ask';
}
