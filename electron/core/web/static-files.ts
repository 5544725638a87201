// Resolves renderer asset requests to files under one root, refusing anything that escapes it.
import path from 'node:path';
import { nodeFileSystem, type FileSystem } from '../base/fs';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** index.html must be revalidated; hashed assets may be cached. */
  readonly isDocument: boolean;
}

export type StaticLookup =
  | { readonly kind: 'file'; readonly file: StaticFile }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-path' };

/**
 * Maps a URL pathname ("/", "/assets/index-abc.js") to a file under `root`. Percent-decoding
 * happens once; "..", backslashes, NUL and dot-files are refused rather than normalised away.
 */
export async function lookupStaticFile(
  root: string,
  pathname: string,
  fs: FileSystem = nodeFileSystem,
): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-path' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'bad-path' };
  }
  const segments = decoded.split('/').filter((segment) => segment.length > 0);
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) {
    return { kind: 'bad-path' };
  }
  const relative = segments.length === 0 ? 'index.html' : segments.join('/');
  const resolvedRoot = path.resolve(root);
  const absolute = path.resolve(resolvedRoot, relative);
  if (absolute !== resolvedRoot && !absolute.startsWith(resolvedRoot + path.sep)) {
    return { kind: 'bad-path' };
  }
  const contentType = CONTENT_TYPES[path.extname(absolute).toLowerCase()];
  if (!contentType) return { kind: 'not-found' };
  try {
    const info = await fs.stat(absolute);
    if (!info.isFile()) return { kind: 'not-found' };
    const body = await fs.readFile(absolute);
    return { kind: 'file', file: { body, contentType, isDocument: absolute.endsWith('.html') } };
  } catch {
    return { kind: 'not-found' };
  }
}
