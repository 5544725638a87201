// The rewrite of the bundles' static imports of Node's built-ins into require() calls: every form
// esbuild prints, lines kept where they were (source maps), and other imports left alone; and the
// result runs, binding what the imports bound.
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFunction } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { nodeBundles } from './bundles.mjs';
import { rewriteBuiltinImports } from './builtins-by-require.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('rewriteBuiltinImports', () => {
  it('turns each form of import of a built-in into a require() on as many lines', () => {
    const cases: [string, string][] = [
      ['import { a, b as c } from "node:fs";', 'const { a, b: c } = require("node:fs");'],
      [
        'import {\n  a,\n  b as c\n} from "node:fs";',
        'const {\n  a,\n  b: c\n} = require("node:fs");',
      ],
      ['import path from "node:path";', 'const path = require("node:path");'],
      ['import * as zlib from "node:zlib";', 'const zlib = require("node:zlib");'],
      ['import "node:os";', 'require("node:os");'],
      ['import p, { join } from "node:path";', 'const p = require("node:path"), { join } = p;'],
      [
        'import { default as d, join } from "node:path";',
        'const d = require("node:path"), { join } = d;',
      ],
      ['import { readFile } from "fs";', 'const { readFile } = require("fs");'],
    ];
    for (const [statement, expected] of cases) {
      expect(rewriteBuiltinImports(statement), statement).toBe(expected);
      expect(expected.split('\n')).toHaveLength(statement.split('\n').length);
    }
  });

  it('leaves imports of anything but a built-in, and text that is not a statement, alone', () => {
    const untouched = [
      'import { x } from "./chunks/chunk-ABC.mjs";',
      'import WebSocket from "ws";',
      'import { app } from "electron";',
      'import "node:not-a-builtin";',
      '  import { a } from "node:fs";',
      'const text = `import { a } from "node:fs"`;',
    ].join('\n');
    expect(rewriteBuiltinImports(untouched)).toBe(untouched);
  });

  it('produces code that binds what the imports bound', () => {
    const text = rewriteBuiltinImports(
      [
        'import path, { join as joinPath } from "node:path";',
        'import * as os from "node:os";',
        'import {',
        '  createHash',
        '} from "node:crypto";',
        'return [path.sep, joinPath("a", "b"), typeof os.cpus, typeof createHash];',
      ].join('\n'),
    );
    const run = compileFunction(text, ['require']) as (load: NodeJS.Require) => unknown;
    expect(run(createRequire(import.meta.url))).toEqual(['/', 'a/b', 'function', 'function']);
  });
});

describe.each(['main', 'cli', 'cliPlugin', 'web'] as const)('the %s bundle', (bundle) => {
  it('imports no built-in as an ES module', async () => {
    // Node's facade for an imported built-in runs its getters: node:http's loads all of undici.
    const result = await build({ ...nodeBundles(root, '0.0.0-test')[bundle], write: false });
    const scripts = result.outputFiles.filter((file) => /\.m?js$/.test(file.path));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const specifiers = [...file.text.matchAll(/^import [^;]*?"([^"]+)";$/gm)].map((m) => m[1]);
      const builtins = specifiers.filter((specifier) => specifier && isBuiltin(specifier));
      expect(builtins, path.basename(file.path)).toEqual([]);
    }
  });
});
