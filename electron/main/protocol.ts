// Serves the built renderer on app://airlock with the strict CSP (file:// would get no headers).
import { protocol } from 'electron';
import { securityHeaders } from '../core/web/csp';
import { lookupStaticFile } from '../core/web/static-files';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const headers = securityHeaders();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return new Response('Not found', { status: 404, headers });
    }
    const lookup = await lookupStaticFile(rendererDir, url.pathname);
    if (lookup.kind !== 'file') {
      return new Response(lookup.kind === 'bad-path' ? 'Bad path' : 'Not found', {
        status: lookup.kind === 'bad-path' ? 400 : 404,
        headers,
      });
    }
    return new Response(new Uint8Array(lookup.file.body), {
      status: 200,
      headers: { ...headers, 'Content-Type': lookup.file.contentType },
    });
  });
}
