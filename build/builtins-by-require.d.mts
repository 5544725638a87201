// Types of builtins-by-require.mjs, for its test and the bundle tests.
import type { Plugin } from 'esbuild';

export declare function rewriteBuiltinImports(text: string): string;
export declare const builtinsByRequire: Plugin;
