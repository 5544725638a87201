import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDirectory, enableCompileCache } from './compile-cache';

/** A stand-in for node:module that records the directories it was asked to cache in. */
function recordingHost() {
  const directories: (string | undefined)[] = [];
  return {
    directories,
    host: {
      enableCompileCache: (directory?: string): void => {
        directories.push(directory);
      },
    },
  };
}

describe('the CLI compile cache', () => {
  it('is enabled where the running Node has it, in the user cache directory', () => {
    const { host, directories } = recordingHost();
    const asked = enableCompileCache({ ...process.versions }, host, {}, () => '/home/u/.cache/x');
    expect(asked).toBe(true);
    expect(directories).toEqual(['/home/u/.cache/x']);
  });

  it('is left alone on a Node without it, inside the desktop app, and when the user chose', () => {
    const { host, directories } = recordingHost();
    expect(enableCompileCache({ ...process.versions }, {}, {})).toBe(false);
    expect(enableCompileCache({ ...process.versions, electron: '39.0.0' }, host, {})).toBe(false);
    expect(enableCompileCache({ ...process.versions }, host, { NODE_COMPILE_CACHE: '/c' })).toBe(
      false,
    );
    expect(
      enableCompileCache({ ...process.versions }, host, { NODE_DISABLE_COMPILE_CACHE: '1' }),
    ).toBe(false);
    expect(directories).toEqual([]);
  });

  it('lets the command run when the cache cannot be set up', () => {
    const failing = {
      enableCompileCache: (): never => {
        throw new Error('EACCES');
      },
    };
    expect(enableCompileCache({ ...process.versions }, failing, {}, () => '/nowhere')).toBe(false);
  });

  it('lives in each platform’s per-user cache directory', () => {
    const tail = path.join('airlock', 'node-compile-cache');
    expect(compileCacheDirectory({}, 'linux', '/home/u')).toBe(path.join('/home/u/.cache', tail));
    expect(compileCacheDirectory({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u')).toBe(
      path.join('/xdg', tail),
    );
    // A relative XDG_CACHE_HOME is ignored, as the XDG specification says.
    expect(compileCacheDirectory({ XDG_CACHE_HOME: 'rel' }, 'linux', '/home/u')).toBe(
      path.join('/home/u/.cache', tail),
    );
    expect(compileCacheDirectory({}, 'darwin', '/Users/u')).toBe(
      path.join('/Users/u/Library/Caches', tail),
    );
    expect(compileCacheDirectory({ LOCALAPPDATA: '/appdata' }, 'win32', '/u')).toBe(
      path.join('/appdata', tail),
    );
    // No home: Node's own default, under the OS temporary directory.
    expect(compileCacheDirectory({}, 'linux', '')).toBeUndefined();
  });
});
