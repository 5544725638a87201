// Node's on-disk compile cache for the CLI: the dispatcher, each command's chunks and the SDK code
// they load are compiled once and reused by later runs, which is most of a short command's start.

import path from 'node:path';

/** The part of node:module used here; enableCompileCache is absent before Node 22.1. */
interface CompileCacheHost {
  enableCompileCache?: (directory?: string) => unknown;
}

/** Where the running user's caches live, as each platform has it; undefined without a home. */
export function compileCacheDirectory(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  home: string,
): string | undefined {
  const under = (base: string): string => path.join(base, 'airlock', 'node-compile-cache');
  const absolute = (value: string | undefined): string | undefined =>
    value !== undefined && path.isAbsolute(value) ? value : undefined;
  if (platform === 'win32') {
    const local = absolute(env.LOCALAPPDATA);
    if (local !== undefined) return under(local);
  } else if (platform !== 'darwin') {
    // An XDG_CACHE_HOME that is not absolute is to be ignored (XDG Base Directory specification).
    const xdg = absolute(env.XDG_CACHE_HOME);
    if (xdg !== undefined) return under(xdg);
  }
  if (home === '' || !path.isAbsolute(home)) return undefined;
  if (platform === 'win32') return under(path.join(home, 'AppData', 'Local'));
  if (platform === 'darwin') return under(path.join(home, 'Library', 'Caches'));
  return under(path.join(home, '.cache'));
}

// node:module and node:os are fetched when used, not imported: this module is part of the
// program's entry, and a static import of a built-in loads all of its parts on every start.

function currentHome(): string {
  try {
    return process.getBuiltinModule('node:os').homedir();
  } catch {
    return '';
  }
}

/**
 * Turns the cache on where the running Node has it (22.1 and later) and the user has not chosen
 * otherwise (NODE_COMPILE_CACHE, which Node applies itself at start, or
 * NODE_DISABLE_COMPILE_CACHE). The directory is the user's cache directory, which no other user
 * can write, else Node's default under the OS temporary directory. A directory that cannot be
 * created or written only leaves the cache off: Node reports that in its return value, which is
 * not an error for us. Not inside the desktop app's CLI mode: there the code loads from the app's
 * archive, and Electron's support for the cache is its own matter.
 * Returns whether it asked Node to enable it.
 */
export function enableCompileCache(
  versions: NodeJS.ProcessVersions = process.versions,
  host: CompileCacheHost = process.getBuiltinModule('node:module'),
  env: Readonly<Record<string, string | undefined>> = process.env,
  directory: () => string | undefined = () =>
    compileCacheDirectory(env, process.platform, currentHome()),
): boolean {
  if (versions.electron !== undefined || host.enableCompileCache === undefined) return false;
  if (env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) {
    return false;
  }
  try {
    host.enableCompileCache(directory());
  } catch {
    // A start-up aid only: whatever goes wrong, the command runs without it.
    return false;
  }
  return true;
}
