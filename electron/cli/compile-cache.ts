// Node's on-disk compile cache for the CLI: each command's chunk, and the SDK code it loads, is
// compiled once and reused by later runs, which is most of a short command's start-up.

import nodeModule from 'node:module';

/** The part of node:module used here; enableCompileCache is absent before Node 22.1. */
interface CompileCacheHost {
  enableCompileCache?: () => unknown;
}

/**
 * Turns the cache on where the running Node has it (22.1 and later) and the user has not turned it
 * off (NODE_DISABLE_COMPILE_CACHE). The directory is Node's own default, under the OS temporary
 * directory, or NODE_COMPILE_CACHE. Not inside the desktop app's CLI mode: there the code loads
 * from the app's archive, and Electron's support for the cache is its own matter.
 * Returns whether it asked Node to enable it.
 */
export function enableCompileCache(
  versions: NodeJS.ProcessVersions = process.versions,
  host: CompileCacheHost = nodeModule,
): boolean {
  if (versions.electron !== undefined || host.enableCompileCache === undefined) return false;
  host.enableCompileCache();
  return true;
}
