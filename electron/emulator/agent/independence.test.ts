// Layering check: the sandbox (agent and MGS side) must not reuse the client's channel, smux, crypto, transport or session code.
// Two implementations of the protocol only catch each other's mistakes if they share nothing but the frame codec.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const EMULATOR_DIR = resolve(__dirname, '..');
const ELECTRON_DIR = resolve(EMULATOR_DIR, '..');
const CORE_DIR = join(ELECTRON_DIR, 'core');

/** What of electron/core the emulator may use (architecture.md 3.5). */
const ALLOWED_CORE = [
  /^datachannel\/codec\//,
  /^ports\/clock(\.ts)?$/,
  /^ports\/logger(\.ts)?$/,
  /^base(\/|\.ts$|$)/,
];

/**
 * The client the agent's tests talk to. It is test code (only *.test.ts files import it, checked
 * below), so it may use the client's implementation.
 */
const TEST_HELPERS = new Set(['agent/test-support.ts']);

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) if (match[1]) found.push(match[1]);
  }
  return found;
}

const toPosix = (path: string): string => path.split(sep).join('/');

function emulatorImports(): { file: string; target: string }[] {
  const imports: { file: string; target: string }[] = [];
  for (const file of sourceFiles(EMULATOR_DIR)) {
    for (const specifier of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      imports.push({
        file: toPosix(relative(EMULATOR_DIR, file)),
        target: toPosix(relative(ELECTRON_DIR, resolve(dirname(file), specifier))),
      });
    }
  }
  return imports;
}

describe('emulator independence', () => {
  it('finds imports in every shape they are written', () => {
    const source = [
      "import { a } from '../x';",
      "import type { B } from './y';",
      "import {\n  c,\n  d,\n} from '../../core/z';",
      "export { e } from './w';",
      "import './side-effect';",
      "const f = await import('./lazy');",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual(
      expect.arrayContaining(['../x', './y', '../../core/z', './w', './side-effect', './lazy']),
    );
    expect(importSpecifiers(source)).toHaveLength(6);
  });

  it('imports from electron/core only the frame codec, core/base and the Clock and Logger ports', () => {
    const imports = emulatorImports();
    const core = imports.filter(({ target }) => target.startsWith('core/'));
    // The check sees the agent's codec imports, so it would see a forbidden one too.
    expect(core.some(({ target }) => target.startsWith('core/datachannel/codec/'))).toBe(true);
    const forbidden = core
      .filter(({ file }) => !TEST_HELPERS.has(file))
      .filter(({ target }) => {
        const inCore = toPosix(relative(CORE_DIR, join(ELECTRON_DIR, target)));
        return !ALLOWED_CORE.some((allowed) => allowed.test(inCore));
      })
      .map(({ file, target }) => `${file} -> ${target}`);
    expect(forbidden).toEqual([]);
  });

  it('leaves the test client to tests', () => {
    const users = emulatorImports()
      .filter(({ target }) => TEST_HELPERS.has(target.replace(/^emulator\//, '') + '.ts'))
      .map(({ file }) => file);
    expect(users).toEqual([]);
  });
});
