// The CLI bundle loads per command: built exactly as the build does, the code `airlock --version`
// and `airlock plugin --version` load (the entry file and what it imports statically) is a few
// kilobytes with no AWS SDK, no emulator and no dispatcher; a plugin session runs from the
// plugin's own bundle, a few files with no SDK until its first API call and no dispatcher; only
// `sandbox` reaches the emulator.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBundles } from '../../build/bundles.mjs';
import { externalsOf, outputOf, sourcesOf, staticClosure } from '../core/testing/bundle-graph';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const awsSdk = /node_modules\/@(aws-sdk|smithy)\//;
const emulator = /^electron\/emulator\//;

describe('the CLI bundle', () => {
  let metafile: Metafile;
  let entry: string;
  /** The output file that is the chunk of one command's module (imported on demand). */
  let chunkOf: (source: string) => string;

  beforeAll(async () => {
    const result = await build({
      ...nodeBundles(root, '0.0.0-test').cli,
      write: false,
      metafile: true,
    });
    metafile = result.metafile;
    const outputs = Object.entries(metafile.outputs);
    const entryOutput = outputs.find(([, output]) => output.entryPoint === 'electron/cli/entry.ts');
    if (!entryOutput) throw new Error('no output has electron/cli/entry.ts as its entry point');
    entry = entryOutput[0];
    chunkOf = (source) => {
      const found = outputs.find(([, output]) => output.entryPoint === source);
      if (!found) throw new Error(`no chunk for ${source}`);
      return found[0];
    };
  });

  it('is an entry file named airlock.mjs with its chunks beside it', () => {
    expect(path.basename(entry)).toBe('airlock.mjs');
    const chunks = Object.keys(metafile.outputs).filter(
      (file) => file !== entry && file.endsWith('.mjs'),
    );
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks)
      expect(path.dirname(chunk)).toBe(path.join(path.dirname(entry), 'chunks'));
  });

  it('answers --version and plugin --version from the entry and its own few sources', () => {
    const loaded = staticClosure(metafile, entry);
    const sources = sourcesOf(metafile, loaded);
    expect(sources).toContain('electron/cli/entry.ts');
    // Only the entry's own modules: no dispatcher, no command, no SDK, no emulator, no package.
    const own = [
      'electron/cli/entry.ts',
      'electron/cli/usage.ts',
      'electron/cli/compile-cache.ts',
      'electron/core/datachannel/client-version.ts',
    ];
    expect(sources.filter((source) => !own.includes(source))).toEqual([]);
    expect(externalsOf(metafile, loaded)).toEqual([]);
    // The commands stay behind the dispatcher's dynamic import.
    expect(loaded.has(chunkOf('electron/cli/main.ts'))).toBe(false);
  });

  it('leaves a plugin session to the plugin’s own bundle, beside the entry', () => {
    const bundleImports = (metafile.outputs[entry]?.imports ?? []).filter(
      (imported) => imported.external === true && imported.path.startsWith('.'),
    );
    expect(bundleImports).toEqual([
      { path: './plugin/plugin.mjs', kind: 'dynamic-import', external: true },
    ]);
    const plugin = nodeBundles(root, '0.0.0-test').cliPlugin;
    expect(path.relative(path.dirname(entry), plugin.outdir ?? '')).toBe('plugin');
    expect(plugin.entryNames).toBe('plugin');
  });

  it('loads for --version less than a twentieth of what a plugin session loads', () => {
    const bytes = (files: Iterable<string>): number =>
      [...files].reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0);
    const versionBytes = bytes(staticClosure(metafile, entry));
    const sessionBytes = bytes(
      new Set([
        ...staticClosure(metafile, chunkOf('electron/cli/main.ts')),
        ...staticClosure(metafile, chunkOf('electron/cli/plugin.ts')),
        ...staticClosure(metafile, chunkOf('electron/cli/plugin-session.ts')),
      ]),
    );
    expect(versionBytes).toBeGreaterThan(0);
    expect(versionBytes).toBeLessThan(sessionBytes / 20);
  });

  it('loads neither the AWS SDK nor the emulator, nor a session, for plugin arguments', () => {
    const loaded = new Set([
      ...staticClosure(metafile, chunkOf('electron/cli/main.ts')),
      ...staticClosure(metafile, chunkOf('electron/cli/plugin.ts')),
    ]);
    const sources = sourcesOf(metafile, loaded);
    expect(sources).toContain('electron/cli/plugin.ts');
    const unwanted = /^electron\/core\/sessions\/|node_modules\/ws\//;
    expect(
      sources.filter(
        (source) => awsSdk.test(source) || emulator.test(source) || unwanted.test(source),
      ),
    ).toEqual([]);
  });

  it('starts a plugin session without the AWS SDK, which waits for the first API call', () => {
    const loaded = staticClosure(metafile, chunkOf('electron/cli/plugin-session.ts'));
    const sources = sourcesOf(metafile, loaded);
    expect(sources).toContain('electron/core/sessions/engine.ts');
    expect(sources.filter((source) => awsSdk.test(source) || emulator.test(source))).toEqual([]);
    // Nor the IPC schema library: names are checked with plain patterns (shared/domain/names.ts).
    expect(sources.filter((source) => /node_modules\/zod\//.test(source))).toEqual([]);
    // KMS is its own chunk, loaded when an encrypted session asks for a data key.
    const kms = sourcesOf(
      metafile,
      staticClosure(metafile, chunkOf('electron/core/aws/kms-api.ts')),
    );
    expect(kms.some((source) => /node_modules\/@aws-sdk\/client-kms\//.test(source))).toBe(true);
  });

  it('writes ssh config without loading the AWS SDK', () => {
    const sources = sourcesOf(
      metafile,
      staticClosure(metafile, chunkOf('electron/cli/ssh-config.ts')),
    );
    expect(sources).toContain('electron/core/services/ssh-config.ts');
    expect(sources.filter((source) => awsSdk.test(source))).toEqual([]);
  });

  it('reaches the emulator only from sandbox', () => {
    for (const command of ['plugin', 'shell', 'forward', 'ls', 'ssh', 'ssh-proxy', 'ssh-config']) {
      const sources = sourcesOf(
        metafile,
        staticClosure(metafile, chunkOf(`electron/cli/${command}.ts`)),
      );
      expect(
        sources.filter((source) => emulator.test(source)),
        command,
      ).toEqual([]);
    }
    const sandbox = sourcesOf(
      metafile,
      staticClosure(metafile, chunkOf('electron/cli/sandbox.ts')),
    );
    expect(sandbox).toContain('electron/emulator/sandbox.ts');
  });
});

describe('the plugin’s own bundle', () => {
  let metafile: Metafile;
  let loaded: Set<string>;

  beforeAll(async () => {
    const result = await build({
      ...nodeBundles(root, '0.0.0-test').cliPlugin,
      write: false,
      metafile: true,
    });
    metafile = result.metafile;
    loaded = staticClosure(metafile, outputOf(metafile, 'electron/cli/plugin-main.ts'));
  });

  it('starts a session from a few files, without the dispatcher', () => {
    const sources = sourcesOf(metafile, loaded);
    for (const needed of [
      'electron/cli/plugin.ts',
      'electron/cli/plugin-session.ts',
      'electron/core/sessions/engine.ts',
    ]) {
      expect(sources).toContain(needed);
    }
    expect(sources).not.toContain('electron/cli/main.ts');
    // Nor ws's optional native modules (build/bundles.mjs).
    expect(externalsOf(metafile, loaded)).toEqual([]);
    // The CLI's own split loads about twenty files for the same session.
    expect(loaded.size).toBeLessThanOrEqual(6);
  });

  it('loads neither the AWS SDK, nor the emulator, nor the schema library at start', () => {
    const sources = sourcesOf(metafile, loaded);
    expect(
      sources.filter(
        (source) =>
          awsSdk.test(source) || emulator.test(source) || /node_modules\/zod\//.test(source),
      ),
    ).toEqual([]);
    const kms = sourcesOf(
      metafile,
      staticClosure(metafile, outputOf(metafile, 'electron/core/aws/kms-api.ts')),
    );
    expect(kms.some((source) => /node_modules\/@aws-sdk\/client-kms\//.test(source))).toBe(true);
  });
});
