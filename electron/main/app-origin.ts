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
