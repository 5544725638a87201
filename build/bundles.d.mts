// Types of bundles.mjs, for the tests that build a bundle the way the build does.
import type { BuildOptions } from 'esbuild';

export declare function nodeBundles(
  root: string,
  version: string,
): Record<'main' | 'preload' | 'cli' | 'cliPlugin' | 'web', BuildOptions>;
