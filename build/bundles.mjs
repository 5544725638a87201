// The esbuild bundles of the Node side (Electron main, preload, CLI, browser-mode server), shared by
// the one-off build (build.mjs) and the watching dev loop (dev.mjs).
import path from 'node:path';
import { builtinsByRequire } from './builtins-by-require.mjs';

/** Native or optional modules stay outside the bundles and load from node_modules at run time. */
const nativeExternals = ['electron', 'node-pty', 'bufferutil', 'utf-8-validate'];

/** Lets bundled CommonJS dependencies (ws, the AWS SDK's helpers) call require() inside ESM output. */
const requireShim =
  "import { createRequire as __airlockCreateRequire } from 'node:module';\nconst require = __airlockCreateRequire(import.meta.url);";

/**
 * A bundle as an entry file and chunks beside it in chunks/, so code behind a dynamic import()
 * loads only when it runs: the CLI's entry (out/cli/airlock.mjs) imports its dispatcher and one set of chunks per
 * command; the app's main and browser-mode server load the Local sandbox only when they run on it,
 * and KMS only for an encrypted session. Whoever runs the entry file (Node, Electron, the app's CLI
 * mode, the installed launchers) finds the chunks by their paths relative to it.
 */
function split(options) {
  const { outfile, ...rest } = options;
  const extension = path.extname(outfile);
  return {
    ...rest,
    outdir: path.dirname(outfile),
    entryNames: path.basename(outfile, extension),
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': extension },
    splitting: true,
  };
}

/**
 * In the CLI bundle, the entry's import of the plugin's own module is left to the plugin's own
 * bundle (`cliPlugin`), which the build writes beside it as cli/plugin/plugin.mjs.
 */
const pluginBundleImport = {
  name: 'plugin-bundle-import',
  setup(build) {
    build.onResolve({ filter: /^\.\/plugin-main$/ }, (args) =>
      args.importer.endsWith(path.join('electron', 'cli', 'entry.ts'))
        ? { path: './plugin/plugin.mjs', external: true }
        : undefined,
    );
  },
};

/** esbuild options per bundle, keyed by name. */
export function nodeBundles(root, version) {
  const out = path.join(root, 'out');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.AIRLOCK_VERSION': JSON.stringify(version) },
  };
  /** An ESM bundle for Node (or Electron's main process) with native modules left outside. */
  const nodeEsm = (entry, outfile) => ({
    ...common,
    entryPoints: [path.join(root, entry)],
    outfile: path.join(out, outfile),
    format: 'esm',
    external: nativeExternals,
    // The CLI entry's own "#!/usr/bin/env node" line stays first; esbuild puts the banner after it.
    banner: { js: requireShim },
    // Built-ins load with that require(), not as ES modules (see builtins-by-require.mjs).
    plugins: [builtinsByRequire],
  });
  const withPlugin = (options, plugin) => ({
    ...options,
    plugins: [...options.plugins, plugin],
  });
  return {
    main: split(nodeEsm('electron/main/main.ts', 'main/main.js')),
    preload: {
      ...common,
      entryPoints: [path.join(root, 'electron/preload/preload.ts')],
      outfile: path.join(out, 'preload/preload.cjs'),
      // A sandboxed preload can require only 'electron' and a few built-ins: everything else is bundled.
      format: 'cjs',
      platform: 'browser',
      target: 'chrome130',
      minify: true,
      external: ['electron'],
    },
    cli: split(withPlugin(nodeEsm('electron/cli/entry.ts', 'cli/airlock.mjs'), pluginBundleImport)),
    // `airlock plugin`'s own bundle, which the CLI entry imports for a plugin session: a few files
    // instead of the dispatcher and its share of the CLI's chunks (electron/cli/plugin-main.ts).
    cliPlugin: split({
      ...nodeEsm('electron/cli/plugin-main.ts', 'cli/plugin/plugin.mjs'),
      // ws masks what a plugin sends (acks, keystrokes, a forward's uploads) in JavaScript, not
      // with bufferutil: finding and loading the native module was a few milliseconds of every
      // start, more than it saves on frames of this size at Session Manager's rates. (UTF-8 is
      // checked by Node's own isUtf8, which ws prefers to utf-8-validate anyway.)
      define: {
        ...common.define,
        'process.env.WS_NO_BUFFER_UTIL': '"1"',
        'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
      },
    }),
    web: split(nodeEsm('electron/core/web/entry.ts', 'web/server.mjs')),
  };
}
